package io.rttpick.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.rttpick.output.ResultJson;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * {@code mailservers_ping} and {@code mailservers_multiAddressPing} (the shape existing clients
 * read) and {@code rttpick_ping} (the fields of {@code rttpick ping --json}): one result per
 * address, in input order, duplicates kept, the address exactly as sent. A client that goes away
 * cancels its probes (their sockets are closed) and frees its place at once.
 */
final class PingService {
    static final int DEFAULT_TIMEOUT_MS = 500;
    static final int MAX_TIMEOUT_MS = 60_000;
    private static final String SHAPE = "[{\"addresses\": [\"host:port\", ...], \"timeoutMs\": 500}]";

    private final Prober prober;
    private final ProbeOptions baseOptions;
    private final PingLimits limits;
    private final ProbeBudget budget;
    /** Null when any address may be probed; else only those it accepts (serve --fleet-only). */
    private final Predicate<String> allowed;
    private final Function<String, String> names;

    PingService(Prober prober, ProbeOptions baseOptions, PingLimits limits, ProbeBudget budget, Predicate<String> allowed,
            Function<String, String> names) {
        this.prober = prober;
        this.baseOptions = baseOptions;
        this.limits = limits;
        this.budget = budget;
        this.allowed = allowed;
        this.names = names;
    }

    /** The ping methods, declared once: anyone who reaches serve may call them (within the limits). */
    List<JsonRpcEndpoint.Method> methods() {
        return List.of(
                JsonRpcEndpoint.Method.read("mailservers_ping", 1, 1, SHAPE, this::mailserversPing),
                JsonRpcEndpoint.Method.read("mailservers_multiAddressPing", 1, 1, SHAPE, this::mailserversPing),
                JsonRpcEndpoint.Method.read("rttpick_ping", 1, 1, SHAPE, this::rttpickPing));
    }

    /**
     * {@code {"address", "rttMs", "latency", "error"}}: whole milliseconds, truncated; rttMs null
     * and latency -1 on failure; error always present, null on success. status-go's
     * {@code mailservers_multiAddressPing} takes multiaddrs and answers in the same shape.
     */
    Mono<List<Map<String, Object>>> mailserversPing(Params params) {
        return probe(params).map(Safe.fn(samples -> {
            List<Map<String, Object>> out = new ArrayList<>(samples.size());
            for (RttSample s : samples) {
                out.add(ResultJson.mailserverResult(s));
            }
            return out;
        }));
    }

    Mono<List<Map<String, Object>>> rttpickPing(Params params) {
        return probe(params).map(Safe.fn(samples -> {
            List<Map<String, Object>> out = new ArrayList<>(samples.size());
            for (RttSample s : samples) {
                out.add(ResultJson.sample(s, names.apply(s.address())));
            }
            return out;
        }));
    }

    /** One sample per address, indexed as given. Params and caps are checked before anything is sent. */
    private Mono<List<RttSample>> probe(Params params) {
        String method = params.method();
        JsonNode request = params.object(0, SHAPE);
        List<JsonNode> given = addresses(method, request);
        List<String> addresses = new ArrayList<>(given.size());
        given.forEach(a -> addresses.add(a.isTextual() ? a.asText() : a.toString()));
        Duration timeout = Duration.ofMillis(timeoutMs(method, request));
        limits.checkCount(method, addresses.size());

        RttSample[] samples = new RttSample[addresses.size()];
        List<String> toProbe = new ArrayList<>();
        List<Integer> probedIndex = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i);
            if (!given.get(i).isTextual()) {
                // one entry of the wrong type is one failed result, not the whole call: the others are probed
                samples[i] = RttSample.builder(i, a).failed(Outcome.INVALID,
                        "addresses[" + i + "] must be a \"host:port\" string, got " + Params.describe(given.get(i)))
                        .startedAt(Instant.now()).prober("serve").build();
            } else if (allowed != null && !allowed.test(a)) {
                samples[i] = RttSample.builder(i, a).failed(Outcome.ERROR,
                        "address " + a + ": not in the fleet (this service probes only its fleet: serve --fleet-only)")
                        .startedAt(Instant.now()).prober("serve").build();
            } else {
                toProbe.add(a);
                probedIndex.add(i);
            }
        }
        if (toProbe.isEmpty()) {
            return Mono.just(List.of(samples));
        }
        limits.acquire(method);
        if (!budget.tryTake(toProbe.size())) {
            limits.release();
            throw new RpcException(RpcException.LIMITED, method + ": " + toProbe.size() + " probes would go over the budget of "
                    + budget.perMinute() + " a minute shared by every method (serve --max-probes-per-minute; "
                    + budget.left() + " left now); nothing was probed, try again later");
        }
        ProbeOptions options = baseOptions.toBuilder().timeout(timeout).samplesPerEndpoint(1).build();
        return prober.events(toProbe, options)
                .ofType(ProbeEvent.Completed.class)
                .doOnNext(e -> {
                    RttSample s = e.sample();
                    int original = probedIndex.get(s.index());
                    samples[original] = s.copyAs(original, s.attempt()).build();
                })
                .then(Mono.fromSupplier(() -> inOrder(samples, addresses)))
                .doFinally(signal -> limits.release()); // completed, failed or cancelled by a client gone
    }

    private static List<RttSample> inOrder(RttSample[] samples, List<String> addresses) {
        return Safe.fn((RttSample[] all) -> {
            List<RttSample> out = new ArrayList<>(all.length);
            for (int i = 0; i < all.length; i++) {
                if (all[i] == null) {
                    throw new IllegalStateException("no sample for " + addresses.get(i));
                }
                out.add(all[i]);
            }
            return out;
        }).apply(samples);
    }

    /** The entries as sent; those that are not strings become failed results of their own. */
    private static List<JsonNode> addresses(String method, JsonNode request) {
        JsonNode list = request.get("addresses");
        if (list == null || !list.isArray()) {
            throw RpcException.invalidParams(method + ": \"addresses\" must be an array of \"host:port\" strings, got "
                    + Params.describe(list));
        }
        List<JsonNode> out = new ArrayList<>(list.size());
        list.forEach(out::add);
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
