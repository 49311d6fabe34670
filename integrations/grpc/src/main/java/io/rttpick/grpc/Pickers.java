package io.rttpick.grpc;

import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Status;
import io.grpc.SynchronizationContext;

/** The balancer's pickers: immutable, each answering every call alike, as grpc's own policies' are. */
final class Pickers {
    private Pickers() {
    }

    /** Calls wait (they are buffered by the channel) until the next picker. */
    static SubchannelPicker waiting() {
        return new Fixed(PickResult.withNoResult());
    }

    /** Every call on the one connection. */
    static SubchannelPicker ready(Subchannel subchannel) {
        return new Fixed(PickResult.withSubchannel(subchannel));
    }

    /** Calls fail with {@code status} (wait-for-ready calls wait instead, as the channel decides). */
    static SubchannelPicker failing(Status status) {
        return new Fixed(PickResult.withError(status));
    }

    /**
     * The connection went idle: the first call asks for it again (on the synchronization context,
     * where a subchannel may be touched; picks run on the callers' threads), and waits for it.
     */
    static SubchannelPicker connectOnPick(Subchannel subchannel, SynchronizationContext sync) {
        return new SubchannelPicker() {
            @Override
            public PickResult pickSubchannel(PickSubchannelArgs args) {
                sync.execute(subchannel::requestConnection);
                return PickResult.withNoResult();
            }

            @Override
            public String toString() {
                return "rttpick: connect on the next call";
            }
        };
    }

    private static final class Fixed extends SubchannelPicker {
        private final PickResult result;

        Fixed(PickResult result) {
            this.result = result;
        }

        @Override
        public PickResult pickSubchannel(PickSubchannelArgs args) {
            return result;
        }

        @Override
        public String toString() {
            return "rttpick: " + result;
        }
    }
}
