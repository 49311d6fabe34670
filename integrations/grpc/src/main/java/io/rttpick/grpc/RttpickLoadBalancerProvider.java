package io.rttpick.grpc;

import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver.ConfigOrError;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.RandomDraw;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The {@code rttpick} policy: grpc-java finds it through its {@code LoadBalancerRegistry}
 * (ServiceLoader), so {@code ManagedChannelBuilder.forTarget(...).defaultLoadBalancingPolicy("rttpick")}
 * or a service config naming it is all a client adds (on Android, {@link RttpickGrpc#register()}
 * first). Each channel gets its own balancer; channels whose resolvers give the same addresses
 * under the same config share one fleet selector (its rankings, cool-offs and probes); all share
 * one prober, the best {@link Probers} finds here, opened on first use and kept for the process
 * (its thread is a daemon). It is unavailable, with a SEVERE log line naming the minimum, on a
 * grpc-java older than 1.68.1.
 *
 * <p>An app that wants its own prober or selector settings registers its own instance:
 * {@code LoadBalancerRegistry.getDefaultRegistry().register(new RttpickLoadBalancerProvider(prober,
 * b -> b.hysteresisMargin(...)))} with {@link #withPriority}, above the default's 5.
 */
public final class RttpickLoadBalancerProvider extends LoadBalancerProvider {
    /** The policy's name in a service config and in {@code defaultLoadBalancingPolicy}. */
    public static final String POLICY_NAME = "rttpick";
    static final int DEFAULT_PRIORITY = 5;

    private static final Logger LOG = Logger.getLogger("io.rttpick.grpc");

    private final Supplier<Prober> prober;
    private final UnaryOperator<FleetSelector.Builder> customize;
    private final int priority;
    private final RandomDraw random;
    /** The fleet selectors of this provider's channels, shared per fleet. */
    private final SharedSelectors shared = new SharedSelectors();

    /** The one ServiceLoader makes: the shared best prober, the selector's defaults. */
    public RttpickLoadBalancerProvider() {
        this(SharedProber::get, b -> b, DEFAULT_PRIORITY, RandomDraw.secure());
    }

    /**
     * With this prober (the caller's to close) and these selector settings; {@code customize} gets
     * each channel's builder after the policy's own settings (timeout, cool-off) are applied.
     */
    public RttpickLoadBalancerProvider(Prober prober, UnaryOperator<FleetSelector.Builder> customize) {
        this(prober, customize, RandomDraw.secure());
    }

    /** As above, with the draw each channel makes among equal servers (seeded in tests). */
    RttpickLoadBalancerProvider(Prober prober, UnaryOperator<FleetSelector.Builder> customize, RandomDraw random) {
        this(() -> prober, customize, DEFAULT_PRIORITY, random);
        Objects.requireNonNull(prober, "prober");
    }

    private RttpickLoadBalancerProvider(Supplier<Prober> prober, UnaryOperator<FleetSelector.Builder> customize, int priority,
                                        RandomDraw random) {
        this.prober = prober;
        this.customize = Objects.requireNonNull(customize, "customize");
        this.priority = priority;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The same provider at another priority (0 to 10): the registry takes the highest of one name. */
    public RttpickLoadBalancerProvider withPriority(int priority) {
        if (priority < 0 || priority > 10) {
            throw new IllegalArgumentException("priority must be 0 to 10: " + priority);
        }
        return new RttpickLoadBalancerProvider(prober, customize, priority, random);
    }

    /** False, said once at SEVERE on {@code io.rttpick.grpc}, on a grpc-java older than 1.68.1. */
    @Override
    public boolean isAvailable() {
        String unsupported = GrpcVersion.unsupported();
        if (unsupported != null && WARNED.compareAndSet(false, true)) {
            LOG.severe(unsupported + ": the \"rttpick\" policy is not registered");
        }
        return unsupported == null;
    }

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public String getPolicyName() {
        return POLICY_NAME;
    }

    @Override
    public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
        return new RttpickLoadBalancer(helper, prober, customize, shared, random);
    }

    @Override
    public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
        return RttpickPolicyConfig.parse(rawConfig);
    }

    /** The process's prober for every channel of the ServiceLoader's provider, opened once. */
    private static final class SharedProber {
        private static volatile Prober prober;

        static Prober get() {
            Prober p = prober;
            if (p == null) {
                synchronized (SharedProber.class) {
                    p = prober;
                    if (p == null) {
                        p = Probers.load().open(Optional.empty());
                        prober = p;
                    }
                }
            }
            return p;
        }
    }
}
