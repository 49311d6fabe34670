package io.rttpick.prober;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One probe attempt's result. An RTT and its {@link Timing} are present exactly when the
 * outcome is {@link Outcome#OK}; an error text exactly when it is not.
 */
public final class RttSample {

    /** Keys of {@link #details()} that more than one prober fills. */
    public static final class Details {
        /** Our own clock's figure in microseconds, kept beside a kernel-timed RTT. */
        public static final String USERSPACE_RTT_MICROS = "userspaceRttMicros";
        /** True when the SYN had to be sent again (the first was lost). */
        public static final String SYN_RETRANSMITTED = "synRetransmitted";
        /** Why a user-space time was used where a kernel time was expected. */
        public static final String TIMING_NOTE = "timingNote";
        /**
         * For a refusal or an unreachable: who said so. {@code "RST"} (the server's TCP stack),
         * {@code "ICMP"} (an ICMP error, see {@link #ICMP}), or {@code "local"} (our own stack,
         * before anything came back).
         */
        public static final String ERROR_SOURCE = "errorSource";
        /** The ICMP error behind a failure: type, code, its name and who sent it ("type 3 code 3 port unreachable from 198.18.10.5"). */
        public static final String ICMP = "icmp";
        /**
         * True when the probe used a socket kept from an earlier probe (reset after its answer
         * instead of closed), false when a new one; set by probers that keep sockets.
         */
        public static final String REUSED_SOCKET = "reusedSocket";

        private Details() {
        }
    }

    private final int index;
    private final int attempt;
    private final String address;
    private final Endpoint endpoint;
    private final InetSocketAddress resolved;
    private final Outcome outcome;
    private final long rttMicros;
    private final Timing timing;
    private final Handshake handshake;
    private final Instant startedAt;
    private final String error;
    private final String prober;
    private final Map<String, Object> details;

    private RttSample(Builder b) {
        this.index = b.index;
        this.attempt = b.attempt;
        this.address = Objects.requireNonNull(b.address, "address");
        this.endpoint = b.endpoint;
        this.resolved = b.resolved;
        this.outcome = Objects.requireNonNull(b.outcome, "outcome");
        this.startedAt = Objects.requireNonNull(b.startedAt, "startedAt");
        this.prober = Objects.requireNonNull(b.prober, "prober");
        this.handshake = b.handshake == null ? Handshake.NONE : b.handshake;
        if (outcome == Outcome.OK) {
            if (b.rttMicros < 0 || b.timing == null) {
                throw new IllegalArgumentException("an OK sample needs an RTT and its timing");
            }
            this.rttMicros = b.rttMicros;
            this.timing = b.timing;
            this.error = null;
        } else {
            if (b.error == null || b.error.isEmpty()) {
                throw new IllegalArgumentException("a " + outcome + " sample needs an error text");
            }
            this.rttMicros = -1;
            this.timing = null;
            this.error = b.error;
        }
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(b.details));
    }

    public static Builder builder(int index, String address) {
        return new Builder(index, address);
    }

    /** Position of the address in the caller's list (duplicates have their own positions). */
    public int index() {
        return index;
    }

    /** Which sample of this address this is, from 0. */
    public int attempt() {
        return attempt;
    }

    /** The address exactly as given. */
    public String address() {
        return address;
    }

    /** The parsed address; empty for {@link Outcome#INVALID}. */
    public Optional<Endpoint> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** The socket address actually probed; empty when nothing was sent. */
    public Optional<InetSocketAddress> resolved() {
        return Optional.ofNullable(resolved);
    }

    public Outcome outcome() {
        return outcome;
    }

    public boolean isOk() {
        return outcome == Outcome.OK;
    }

    /** Round-trip time in microseconds; present only when OK. */
    public OptionalLong rttMicros() {
        return rttMicros < 0 ? OptionalLong.empty() : OptionalLong.of(rttMicros);
    }

    public Optional<Duration> rtt() {
        return rttMicros < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(rttMicros * 1000));
    }

    /** Who measured the RTT; present only when OK. */
    public Optional<Timing> timing() {
        return Optional.ofNullable(timing);
    }

    public Handshake handshake() {
        return handshake;
    }

    /** Wall-clock time just before the attempt's connect (or when it was rejected). */
    public Instant startedAt() {
        return startedAt;
    }

    /** What went wrong; present unless OK. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** The name of the prober that made the sample. */
    public String prober() {
        return prober;
    }

    /**
     * Prober-specific facts by name, as {@code --json} prints them; plugins add their own. The ones
     * several probers fill are read typed below.
     */
    public Map<String, Object> details() {
        return details;
    }

    /** {@link Details#USERSPACE_RTT_MICROS}: our own clock's figure beside a kernel-timed RTT. */
    public OptionalLong userspaceRttMicros() {
        Object v = details.get(Details.USERSPACE_RTT_MICROS);
        return v instanceof Number ? OptionalLong.of(((Number) v).longValue()) : OptionalLong.empty();
    }

    /** {@link Details#SYN_RETRANSMITTED}: the first SYN was lost and sent again (false when not known). */
    public boolean synRetransmitted() {
        return Boolean.TRUE.equals(details.get(Details.SYN_RETRANSMITTED));
    }

    /** {@link Details#REUSED_SOCKET}: the probe ran on a socket kept from an earlier one. */
    public boolean reusedSocket() {
        return Boolean.TRUE.equals(details.get(Details.REUSED_SOCKET));
    }

    /** {@link Details#TIMING_NOTE}: why this timing where another was expected. */
    public Optional<String> timingNote() {
        return text(Details.TIMING_NOTE);
    }

    /** {@link Details#ERROR_SOURCE}: who ended a failed attempt ("RST", "ICMP", "local"). */
    public Optional<String> errorSource() {
        return text(Details.ERROR_SOURCE);
    }

    /** {@link Details#ICMP}: the ICMP error behind a failure, and who sent it. */
    public Optional<String> icmpError() {
        return text(Details.ICMP);
    }

    private Optional<String> text(String key) {
        Object v = details.get(key);
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    /**
     * A builder holding this sample's fields under another index and attempt: for replaying
     * recorded samples into a selection (tests, simulations of many clients).
     */
    public Builder copyAs(int newIndex, int newAttempt) {
        Builder b = builder(newIndex, address).attempt(newAttempt).endpoint(endpoint).resolved(resolved)
                .startedAt(startedAt).prober(prober).details(details).handshake(handshake);
        b.outcome = outcome;
        b.rttMicros = rttMicros;
        b.timing = timing;
        b.error = error;
        return b;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(address);
        s.append(' ').append(outcome);
        if (resolved != null) {
            s.append(" via ").append(SocketAddresses.format(resolved));
        }
        if (rttMicros >= 0) {
            s.append(' ').append(rttMicros).append("us ").append(timing).append(' ').append(handshake);
        }
        if (error != null) {
            s.append(" (").append(error).append(')');
        }
        return s.toString();
    }

    /** Builds a sample; the constructor checks that OK and failure fields are consistent. */
    public static final class Builder {
        private final int index;
        private final String address;
        private int attempt;
        private Endpoint endpoint;
        private InetSocketAddress resolved;
        private Outcome outcome;
        private long rttMicros = -1;
        private Timing timing;
        private Handshake handshake;
        private Instant startedAt;
        private String error;
        private String prober;
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(int index, String address) {
            this.index = index;
            this.address = address;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder endpoint(Endpoint endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder resolved(InetSocketAddress resolved) {
            this.resolved = resolved;
            return this;
        }

        public Builder ok(long rttMicros, Timing timing, Handshake handshake) {
            this.outcome = Outcome.OK;
            this.rttMicros = rttMicros;
            this.timing = timing;
            this.handshake = handshake;
            return this;
        }

        public Builder failed(Outcome outcome, String error) {
            if (outcome == Outcome.OK) {
                throw new IllegalArgumentException("use ok(...) for an OK sample");
            }
            this.outcome = outcome;
            this.error = error;
            return this;
        }

        public Builder handshake(Handshake handshake) {
            this.handshake = handshake;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder prober(String prober) {
            this.prober = prober;
            return this;
        }

        public Builder detail(String key, Object value) {
            details.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder details(Map<String, ?> more) {
            more.forEach(this::detail);
            return this;
        }

        public RttSample build() {
            return new RttSample(this);
        }
    }
}
