package io.rttpick.grpc;

import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The policy's service-config keys, an interface other programs write:
 * {@code {"loadBalancingConfig": [{"rttpick": {"pin": "10.0.0.7:443", "probeTimeoutMs": 500,
 * "coolOffMs": 120000}}]}}. Every key is optional; unknown keys are ignored, as grpc's own
 * policies do, so that a newer config still loads here.
 *
 * <ul>
 *   <li>{@code pin}: always this server (one of the resolver's addresses, {@code ip:port}); the
 *       others are used only while it fails.</li>
 *   <li>{@code probeTimeoutMs}: how long a probe waits for an answer, and so the longest the first
 *       calls wait for the first choice (default 500).</li>
 *   <li>{@code coolOffMs}: how long a server that failed is passed over (default 120,000; doubling
 *       per repeated failure, up to 30 min).</li>
 * </ul>
 */
public final class RttpickPolicyConfig {
    static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofMillis(500);
    static final Duration DEFAULT_COOL_OFF = Duration.ofSeconds(120);
    static final RttpickPolicyConfig DEFAULTS = new RttpickPolicyConfig(null, DEFAULT_PROBE_TIMEOUT, DEFAULT_COOL_OFF);

    private final String pin;
    private final Duration probeTimeout;
    private final Duration coolOff;

    private RttpickPolicyConfig(String pin, Duration probeTimeout, Duration coolOff) {
        this.pin = pin;
        this.probeTimeout = probeTimeout;
        this.coolOff = coolOff;
    }

    /** The config of one channel, or an error naming the key that is wrong. */
    static ConfigOrError parse(Map<String, ?> raw) {
        if (raw == null) {
            return ConfigOrError.fromConfig(DEFAULTS);
        }
        Object pin = raw.get("pin");
        if (pin != null && !(pin instanceof String && !((String) pin).trim().isEmpty())) {
            return invalid("'pin' must be a server address as a string, like \"10.0.0.7:443\"; it is " + pin);
        }
        Duration timeout = DEFAULT_PROBE_TIMEOUT;
        Duration coolOff = DEFAULT_COOL_OFF;
        try {
            timeout = millis(raw, "probeTimeoutMs", DEFAULT_PROBE_TIMEOUT);
            coolOff = millis(raw, "coolOffMs", DEFAULT_COOL_OFF);
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
        return ConfigOrError.fromConfig(new RttpickPolicyConfig(pin == null ? null : ((String) pin).trim(), timeout, coolOff));
    }

    private static Duration millis(Map<String, ?> raw, String key, Duration fallback) {
        Object value = raw.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number) || ((Number) value).doubleValue() <= 0 || ((Number) value).doubleValue() > 86_400_000) {
            throw new IllegalArgumentException("'" + key + "' must be a number of milliseconds from 1 to 86400000; it is " + value);
        }
        return Duration.ofMillis(Math.max(1, Math.round(((Number) value).doubleValue())));
    }

    private static ConfigOrError invalid(String why) {
        return ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription("rttpick load-balancing config: " + why));
    }

    /** The pinned server, or null. */
    public String pin() {
        return pin;
    }

    public Duration probeTimeout() {
        return probeTimeout;
    }

    public Duration coolOff() {
        return coolOff;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RttpickPolicyConfig)) {
            return false;
        }
        RttpickPolicyConfig c = (RttpickPolicyConfig) o;
        return Objects.equals(pin, c.pin) && probeTimeout.equals(c.probeTimeout) && coolOff.equals(c.coolOff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pin, probeTimeout, coolOff);
    }

    @Override
    public String toString() {
        return "rttpick{pin=" + pin + ", probeTimeoutMs=" + probeTimeout.toMillis() + ", coolOffMs=" + coolOff.toMillis() + "}";
    }
}
