package io.rttpick.selector;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** What {@link FleetSelector} answers: the server to use now, and why. */
public final class FleetChoice {

    /** How the answer was reached. */
    public enum Reason {
        /** A probe of the fleet just ran. */
        PROBED,
        /** The last probe is recent (rate limit) and fresh enough: its ranking was reused, no probe sent. */
        REUSED,
        /** The last ranking is older than allowed, but the rate limit forbids a probe yet: reused, a probe follows. */
        REUSED_STALE,
        /** The current server failed: the next one came from the last ranking at once. */
        FAILOVER,
        /** A pinned server: no probing at all. */
        PINNED,
        /** Nothing usable: no server answered, or every one is cooling off after failures. */
        NOTHING_AVAILABLE
    }

    private final String server;
    private final Bucket bucket;
    private final long rttMicros;
    private final Reason reason;
    private final Duration rankingAge;
    private final String note;

    FleetChoice(String server, Bucket bucket, long rttMicros, Reason reason, Duration rankingAge, String note) {
        this.server = server;
        this.bucket = bucket;
        this.rttMicros = rttMicros;
        this.reason = reason;
        this.rankingAge = rankingAge;
        this.note = note;
    }

    /** The address to use; empty for {@link Reason#NOTHING_AVAILABLE}. */
    public Optional<String> server() {
        return Optional.ofNullable(server);
    }

    /** Its group in the ranking used; empty when pinned (not probed) or nothing was chosen. */
    public Optional<Bucket> bucket() {
        return Optional.ofNullable(bucket);
    }

    public OptionalLong rttMicros() {
        return rttMicros < 0 ? OptionalLong.empty() : OptionalLong.of(rttMicros);
    }

    public Reason reason() {
        return reason;
    }

    public boolean pinned() {
        return reason == Reason.PINNED;
    }

    /** Age of the ranking the choice came from; zero when pinned. */
    public Duration rankingAge() {
        return rankingAge;
    }

    /** A sentence for people: why this answer. */
    public String note() {
        return note;
    }

    @Override
    public String toString() {
        return "FleetChoice[" + (server == null ? "none" : server) + " " + reason + ", " + note + "]";
    }
}
