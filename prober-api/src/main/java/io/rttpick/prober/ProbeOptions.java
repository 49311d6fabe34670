package io.rttpick.prober;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How to probe: immutable, built with {@link #builder()}. */
public final class ProbeOptions {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    private final Duration timeout;
    private final int maxInFlight;
    private final int samplesPerEndpoint;
    private final AddressFamily family;
    private final InetAddress localAddress;
    private final Resolver resolver;
    private final int maxConnectsPerSecond;
    private final Duration sampleSpacing;
    private final SocketConfigurer socketConfigurer;

    private ProbeOptions(Builder b) {
        this.timeout = b.timeout;
        this.maxInFlight = b.maxInFlight;
        this.samplesPerEndpoint = b.samplesPerEndpoint;
        this.family = b.family;
        this.localAddress = b.localAddress;
        this.resolver = b.resolver;
        this.maxConnectsPerSecond = b.maxConnectsPerSecond;
        this.sampleSpacing = b.sampleSpacing;
        this.socketConfigurer = b.socketConfigurer;
    }

    public static ProbeOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().timeout(timeout).maxInFlight(maxInFlight).samplesPerEndpoint(samplesPerEndpoint)
                .family(family).localAddress(localAddress).resolver(resolver).maxConnectsPerSecond(maxConnectsPerSecond)
                .sampleSpacing(sampleSpacing).socketConfigurer(socketConfigurer);
    }

    /** Called with each probe socket the java-socket probers open, before its connect (see {@link SocketConfigurer}). */
    public SocketConfigurer socketConfigurer() {
        return socketConfigurer;
    }

    /** Per attempt, counted from that attempt's own connect. */
    public Duration timeout() {
        return timeout;
    }

    /** Attempts of one call in flight at once; the rest wait for room. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Attempts per address, one after another (never two of one address at once). */
    public int samplesPerEndpoint() {
        return samplesPerEndpoint;
    }

    /**
     * The pause between the end of one attempt of an address and the start of its next (zero by
     * default). Spaced samples see more of a path's jitter than back-to-back ones, which share one
     * moment's queues.
     */
    public Duration sampleSpacing() {
        return sampleSpacing;
    }

    /** Family preferred when a name resolves to several addresses. */
    public AddressFamily family() {
        return family;
    }

    /** Source address to bind before connecting; empty lets the system choose. */
    public Optional<InetAddress> localAddress() {
        return Optional.ofNullable(localAddress);
    }

    public Resolver resolver() {
        return resolver;
    }

    /**
     * A cap on new connects (SYNs) per second, evenly spaced; 0 means none (the default). For
     * clients behind small NAT tables, or firewalls that take a burst of SYNs for a scan.
     */
    public int maxConnectsPerSecond() {
        return maxConnectsPerSecond;
    }

    public static final class Builder {
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private int samplesPerEndpoint = 1;
        private AddressFamily family = AddressFamily.ANY;
        private InetAddress localAddress;
        private Resolver resolver = Resolver.system();
        private int maxConnectsPerSecond;
        private Duration sampleSpacing = Duration.ZERO;
        private SocketConfigurer socketConfigurer = SocketConfigurer.NONE;

        private Builder() {
        }

        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("max in flight must be at least 1, got " + maxInFlight);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder samplesPerEndpoint(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("samples per endpoint must be at least 1, got " + samples);
            }
            this.samplesPerEndpoint = samples;
            return this;
        }

        public Builder family(AddressFamily family) {
            this.family = Objects.requireNonNull(family, "family");
            return this;
        }

        /** @param localAddress the source address, or null to let the system choose */
        public Builder localAddress(InetAddress localAddress) {
            this.localAddress = localAddress;
            return this;
        }

        public Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** @param perSecond the cap, or 0 for none */
        public Builder maxConnectsPerSecond(int perSecond) {
            if (perSecond < 0) {
                throw new IllegalArgumentException("max connects per second must be 0 (no cap) or more, got " + perSecond);
            }
            this.maxConnectsPerSecond = perSecond;
            return this;
        }

        public Builder sampleSpacing(Duration spacing) {
            Objects.requireNonNull(spacing, "sampleSpacing");
            if (spacing.isNegative()) {
                throw new IllegalArgumentException("sample spacing must not be negative, got " + spacing);
            }
            this.sampleSpacing = spacing;
            return this;
        }

        /** Configures each probe socket of the java-socket probers before its connect (Android: tagging, a network). */
        public Builder socketConfigurer(SocketConfigurer configurer) {
            this.socketConfigurer = Objects.requireNonNull(configurer, "socketConfigurer");
            return this;
        }

        public ProbeOptions build() {
            return new ProbeOptions(this);
        }
    }
}
