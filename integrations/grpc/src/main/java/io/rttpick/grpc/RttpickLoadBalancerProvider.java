package io.rttpick.grpc;

import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver.ConfigOrError;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.selector.FleetSelector;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The {@code rttpick} policy: grpc-java finds it through its {@code LoadBalancerRegistry}
 * (ServiceLoader), so {@code ManagedChannelBuilder.forTarget(...).defaultLoadBalancingPolicy("rttpick")}
 * or a service config naming it is all a client adds. Each channel gets its own balancer and
 * fleet selector; they share one prober, the best {@link Probers} finds here, opened on first use
 * and kept for the process (its thread is a daemon).
 *
 * <p>An app that wants its own prober or selector settings registers its own instance:
 * {@code LoadBalancerRegistry.getDefaultRegistry().register(new RttpickLoadBalancerProvider(prober,
 * b -> b.hysteresisMargin(...)))} with {@link #withPriority}, above the default's 5.
 */
public final class RttpickLoadBalancerProvider extends LoadBalancerProvider {
    /** The policy's name in a service config and in {@code defaultLoadBalancingPolicy}. */
    public static final String POLICY_NAME = "rttpick";
    static final int DEFAULT_PRIORITY = 5;

    private final Supplier<Prober> prober;
    private final UnaryOperator<FleetSelector.Builder> customize;
    private final int priority;

    /** The one ServiceLoader makes: the shared best prober, the selector's defaults. */
    public RttpickLoadBalancerProvider() {
        this(SharedProber::get, b -> b, DEFAULT_PRIORITY);
    }

    /**
     * With this prober (the caller's to close) and these selector settings; {@code customize} gets
     * each channel's builder after the policy's own settings (timeout, cool-off) are applied.
     */
    public RttpickLoadBalancerProvider(Prober prober, UnaryOperator<FleetSelector.Builder> customize) {
        this(() -> prober, customize, DEFAULT_PRIORITY);
        Objects.requireNonNull(prober, "prober");
    }

    private RttpickLoadBalancerProvider(Supplier<Prober> prober, UnaryOperator<FleetSelector.Builder> customize, int priority) {
        this.prober = prober;
        this.customize = Objects.requireNonNull(customize, "customize");
        this.priority = priority;
    }

    /** The same provider at another priority (0 to 10): the registry takes the highest of one name. */
    public RttpickLoadBalancerProvider withPriority(int priority) {
        if (priority < 0 || priority > 10) {
            throw new IllegalArgumentException("priority must be 0 to 10: " + priority);
        }
        return new RttpickLoadBalancerProvider(prober, customize, priority);
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

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
        return new RttpickLoadBalancer(helper, prober, customize);
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
