package io.rttpick.examples.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.rttpick.examples.json.ResultJson;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code mailservers_ping} (the shape existing clients read) and {@code rttpick_ping} (the
 * fields of {@code rttpick ping --json}): one result per address, in input order, duplicates kept.
 */
final class PingService {
    static final int DEFAULT_TIMEOUT_MS = 500;
    static final int MAX_TIMEOUT_MS = 60_000;
    private static final String SHAPE = "[{\"addresses\": [\"host:port\", ...], \"timeoutMs\": 500}]";

    private final Prober prober;
    private final ProbeOptions baseOptions;
    private final PingLimits limits;
    /** Null when any address may be probed; else only those it accepts (serve --fleet-only). */
    private final Predicate<String> allowed;
    private final Function<String, String> names;

    PingService(Prober prober, ProbeOptions baseOptions, PingLimits limits, Predicate<String> allowed, Function<String, String> names) {
        this.prober = prober;
        this.baseOptions = baseOptions;
        this.limits = limits;
        this.allowed = allowed;
        this.names = names;
    }

    /** {@code {"address", "rttMs", "latency", "error"}}: whole milliseconds, truncated; latency -1 on failure. */
    Object mailserversPing(JsonNode params) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RttSample s : probe("mailservers_ping", params)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", s.address());
            Long ms = s.rttMicros().isPresent() ? s.rttMicros().getAsLong() / 1_000 : null;
            m.put("rttMs", ms);
            m.put("latency", ms == null ? -1 : ms);
            m.put("error", s.isOk() ? null : s.error().orElse(s.outcome().name()));
            out.add(m);
        }
        return out;
    }

    Object rttpickPing(JsonNode params) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RttSample s : probe("rttpick_ping", params)) {
            out.add(ResultJson.sample(s, names.apply(s.address())));
        }
        return out;
    }

    /** One sample per address, indexed as given. */
    private List<RttSample> probe(String method, JsonNode params) {
        JsonNode request = Params.of(method, params, 1, 1, SHAPE).object(0, SHAPE);
        List<String> addresses = addresses(method, request);
        Duration timeout = Duration.ofMillis(timeoutMs(method, request));
        limits.checkCount(method, addresses.size());

        RttSample[] samples = new RttSample[addresses.size()];
        List<String> toProbe = new ArrayList<>();
        List<Integer> probedIndex = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i);
            if (allowed != null && !allowed.test(a)) {
                samples[i] = RttSample.builder(i, a).failed(Outcome.ERROR,
                        "address " + a + ": not in the fleet (this service probes only its fleet: serve --fleet-only)")
                        .startedAt(Instant.now()).prober("serve").build();
            } else {
                toProbe.add(a);
                probedIndex.add(i);
            }
        }
        if (!toProbe.isEmpty()) {
            limits.acquire(method);
            try {
                ProbeOptions options = baseOptions.toBuilder().timeout(timeout).samplesPerEndpoint(1).build();
                // every attempt ends by its deadline; waves of max-in-flight, plus resolution
                int waves = (toProbe.size() + options.maxInFlight() - 1) / options.maxInFlight();
                Duration wait = timeout.multipliedBy(waves + 1L).plusSeconds(30);
                List<ProbeEvent> events = prober.events(toProbe, options).collectList().block(wait);
                for (ProbeEvent e : events == null ? List.<ProbeEvent>of() : events) {
                    if (e instanceof ProbeEvent.Completed) {
                        RttSample s = ((ProbeEvent.Completed) e).sample();
                        int original = probedIndex.get(s.index());
                        samples[original] = s.copyAs(original, s.attempt()).build();
                    }
                }
            } finally {
                limits.release();
            }
        }
        List<RttSample> out = new ArrayList<>(samples.length);
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] == null) {
                throw new IllegalStateException("no sample for " + addresses.get(i));
            }
            out.add(samples[i]);
        }
        return out;
    }

    private static List<String> addresses(String method, JsonNode request) {
        JsonNode list = request.get("addresses");
        if (list == null || !list.isArray()) {
            throw RpcException.invalidParams(method + ": \"addresses\" must be an array of \"host:port\" strings, got "
                    + Params.describe(list));
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            if (!a.isTextual()) {
                throw RpcException.invalidParams(method + ": addresses[" + i + "] must be a string, got " + Params.describe(a));
            }
            out.add(a.asText());
        }
        return out;
    }

    private static long timeoutMs(String method, JsonNode request) {
        JsonNode t = request.get("timeoutMs");
        if (t == null || t.isNull()) {
            return DEFAULT_TIMEOUT_MS;
        }
        if (!t.canConvertToLong() || !t.isIntegralNumber() || t.asLong() < 1 || t.asLong() > MAX_TIMEOUT_MS) {
            throw RpcException.invalidParams(method + ": \"timeoutMs\" must be a whole number of milliseconds from 1 to "
                    + MAX_TIMEOUT_MS + ", got " + Params.describe(t));
        }
        return t.asLong();
    }
}
