package io.rttpick.grpc;

import io.grpc.LoadBalancer;

/**
 * The policy keeps its own connection and asks grpc not to reconnect it by itself
 * ({@code LoadBalancer.DISABLE_SUBCHANNEL_RECONNECT_KEY}, {@code @Internal}, as grpc's own
 * pick_first uses it), which grpc-java has from 1.68.1. An older grpc is found when the provider
 * is asked whether it is available, not inside a channel's synchronization context.
 */
final class GrpcVersion {
    static final String MINIMUM = "1.68.1";
    private static final String MISSING = missing();

    private GrpcVersion() {
    }

    /** Why this grpc-java cannot run the policy, or null when it can. */
    static String unsupported() {
        return MISSING;
    }

    private static String missing() {
        try {
            LoadBalancer.class.getField("DISABLE_SUBCHANNEL_RECONNECT_KEY");
            return null;
        } catch (NoSuchFieldException | LinkageError e) {
            return "rttpick-grpc needs grpc-java " + MINIMUM + " or later (LoadBalancer.DISABLE_SUBCHANNEL_RECONNECT_KEY is"
                    + " missing in the grpc-api on the class path)";
        }
    }
}
