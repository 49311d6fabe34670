package io.rttpick.grpc;

import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import io.rttpick.prober.Endpoint;
import io.rttpick.prober.InvalidEndpointException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The policy's service-config keys, an interface other programs write:
 * {@code {"loadBalancingConfig": [{"rttpick": {"pin": "10.0.0.7:443", "probeTimeoutMs": 500,
 * "coolOffMs": 120000}}]}}. Every key is optional; unknown keys are ignored, as grpc's own
 * policies do, so that a newer config still loads here.
 *
 * <ul>
 *   <li>{@code pin}: the preferred server (one of the resolver's addresses, {@code ip:port}):
 *       used whenever it answers; while it fails the best of the others serves, and it is tried
 *       again at each step of grpc's connection backoff. Matched as the selector matches servers
 *       ({@code [2001:DB8::1]:443} is {@code [2001:db8::1]:443}).</li>
 *   <li>{@code probeTimeoutMs} (or {@code probeTimeout}, a grpc duration string such as
 *       {@code "1.5s"}): how long a probe waits for an answer, and so the longest the first calls
 *       wait for the first choice (default 500 ms, at most 10 s).</li>
 *   <li>{@code coolOffMs} (or {@code coolOff}, as {@code "120s"}): how long a server that failed
 *       is passed over (default 120 s; doubling per repeated failure, up to 30 min).</li>
 * </ul>
 *
 * <p>A config that is wrong is {@code UNAVAILABLE}, naming the key, as grpc's own policies answer
 * (grpc turns other codes from a policy's parse into {@code INTERNAL}).
 */
public final class RttpickPolicyConfig {
    static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofMillis(500);
    static final Duration MAX_PROBE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_COOL_OFF = Duration.ofSeconds(120);
    static final Duration MAX_COOL_OFF = Duration.ofDays(1);
    static final RttpickPolicyConfig DEFAULTS = new RttpickPolicyConfig(null, DEFAULT_PROBE_TIMEOUT, DEFAULT_COOL_OFF);
    /** protobuf's JSON form of a Duration, as grpc service configs write them. */
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(\\.\\d{1,9})?s");

    private final String pin;
    private final Duration probeTimeout;
    private final Duration coolOff;

    private RttpickPolicyConfig(String pin, Duration probeTimeout, Duration coolOff) {
        this.pin = pin;
        this.probeTimeout = probeTimeout;
        this.coolOff = coolOff;
    }

    /** The config of one channel, or an {@code UNAVAILABLE} error naming the key that is wrong. */
    static ConfigOrError parse(Map<String, ?> raw) {
        if (raw == null) {
            return ConfigOrError.fromConfig(DEFAULTS);
        }
        try {
            return ConfigOrError.fromConfig(new RttpickPolicyConfig(pin(raw.get("pin")),
                    duration(raw, "probeTimeout", DEFAULT_PROBE_TIMEOUT, MAX_PROBE_TIMEOUT),
                    duration(raw, "coolOff", DEFAULT_COOL_OFF, MAX_COOL_OFF)));
        } catch (IllegalArgumentException e) {
            return ConfigOrError.fromError(Status.UNAVAILABLE.withDescription("rttpick load-balancing config: " + e.getMessage()));
        }
    }

    /** The pin as the selector knows servers ({@link Endpoint#key()}), or null; its syntax checked here. */
    private static String pin(Object pin) {
        if (pin == null) {
            return null;
        }
        if (!(pin instanceof String) || ((String) pin).trim().isEmpty()) {
            throw new IllegalArgumentException("'pin' must be a server address as a string, like \"10.0.0.7:443\"; it is " + pin);
        }
        try {
            return Endpoint.parse(((String) pin).trim()).key();
        } catch (InvalidEndpointException e) {
            throw new IllegalArgumentException("'pin' " + pin + " is not a server address: " + e.getMessage());
        }
    }

    /** {@code <key>Ms} (a number of ms) or {@code <key>} (a duration string), one of them, from 1 ms to {@code max}. */
    private static Duration duration(Map<String, ?> raw, String key, Duration fallback, Duration max) {
        Object millis = raw.get(key + "Ms");
        Object text = raw.get(key);
        if (millis != null && text != null) {
            throw new IllegalArgumentException("give '" + key + "Ms' or '" + key + "', not both");
        }
        Duration d;
        if (millis != null) {
            if (!(millis instanceof Number) || !(((Number) millis).doubleValue() > 0)) {
                throw new IllegalArgumentException("'" + key + "Ms' must be a number of milliseconds from 1 to " + max.toMillis()
                        + "; it is " + millis);
            }
            double ms = ((Number) millis).doubleValue();
            d = ms > max.toMillis() ? max.plusMillis(1) : Duration.ofMillis(Math.max(1, Math.round(ms)));
        } else if (text != null) {
            Matcher m = text instanceof String ? DURATION.matcher((String) text) : null;
            if (m == null || !m.matches()) {
                throw new IllegalArgumentException("'" + key + "' must be a duration such as \"1.5s\"; it is " + text);
            }
            BigDecimal nanos = new BigDecimal(m.group(1) + (m.group(2) == null ? "" : m.group(2))).movePointRight(9);
            d = nanos.compareTo(BigDecimal.valueOf(max.toNanos())) > 0 ? max.plusMillis(1) : Duration.ofNanos(nanos.longValue());
        } else {
            return fallback;
        }
        if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("'" + key + (millis != null ? "Ms" : "") + "' must be from 1 ms to " + max.toMillis()
                    + " ms; it is " + (millis != null ? millis : text));
        }
        return d;
    }

    /** The pinned server as the selector's key ({@code ip:port}, canonical), or null. */
    public String pin() {
        return pin;
    }

    public Duration probeTimeout() {
        return probeTimeout;
    }

    public Duration coolOff() {
        return coolOff;
    }

    /** This config without its pin: what channels sharing a fleet selector must agree on. */
    RttpickPolicyConfig withoutPin() {
        return pin == null ? this : new RttpickPolicyConfig(null, probeTimeout, coolOff);
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
