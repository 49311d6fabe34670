package io.rttpick.prober.spi;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.Timing;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What a {@link Transport} learned about one attempt; the event loop turns it into a sample. */
public final class AttemptResult {
    private final Outcome outcome;
    private final long rttMicros;
    private final Timing timing;
    private final Handshake handshake;
    private final String error;
    private final Map<String, Object> details = new LinkedHashMap<>();

    private AttemptResult(Outcome outcome, long rttMicros, Timing timing, Handshake handshake, String error) {
        this.outcome = outcome;
        this.rttMicros = rttMicros;
        this.timing = timing;
        this.handshake = handshake;
        this.error = error;
    }

    public static AttemptResult ok(long rttMicros, Timing timing, Handshake handshake) {
        if (rttMicros < 0) {
            throw new IllegalArgumentException("negative RTT " + rttMicros);
        }
        return new AttemptResult(Outcome.OK, rttMicros, Objects.requireNonNull(timing), Objects.requireNonNull(handshake), null);
    }

    public static AttemptResult failed(Outcome outcome, String error) {
        if (outcome == Outcome.OK) {
            throw new IllegalArgumentException("use ok(...)");
        }
        return new AttemptResult(outcome, -1, null, Handshake.NONE, Objects.requireNonNull(error));
    }

    /** Adds a prober-specific fact; returns this. */
    public AttemptResult detail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    public Outcome outcome() {
        return outcome;
    }

    public long rttMicros() {
        return rttMicros;
    }

    public Timing timing() {
        return timing;
    }

    public Handshake handshake() {
        return handshake;
    }

    public String error() {
        return error;
    }

    public Map<String, Object> details() {
        return Collections.unmodifiableMap(details);
    }
}
