package io.rttpick.serve;

import io.rttpick.output.LogText;
import io.rttpick.prober.Endpoint;
import io.rttpick.prober.InvalidEndpointException;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Resolver;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.prober.Timing;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /probe?target=HOST:PORT}: one probe of the target with the prober in use, answered
 * as Prometheus text in blackbox_exporter's multi-target form, with its names where they mean the
 * same ({@code probe_success}, {@code probe_duration_seconds}, {@code probe_ip_protocol},
 * {@code probe_ip_addr_hash}, {@code probe_dns_lookup_time_seconds}, always present) and ours
 * beside them. Only the fleet's addresses are probed (unless {@code --probe-any}): a bad or
 * foreign target is HTTP 400, never a probe. Over the probe budget or the in-flight cap it is
 * HTTP 503, so that the scrape fails ({@code up} 0) rather than reporting the server down.
 */
final class ProbeEndpoint {
    /** blackbox_exporter leaves this much of the scrape timeout for the answer to travel. */
    static final Duration SCRAPE_OFFSET = Duration.ofMillis(500);

    /** The answer: an HTTP status and its text. */
    record Answer(int status, String text) {
    }

    private final Prober prober;
    /** Scrapes probing at once: a cap of their own (serve --max-scrapes-in-flight), apart from the JSON-RPC calls'. */
    private final Semaphore scrapes;
    private final int maxScrapes;
    private final ProbeBudget budget;
    /** The addresses /probe may probe, as parsed endpoints; null: any (serve --probe-any). */
    private final Supplier<List<String>> fleet;
    private final Duration defaultTimeout;
    private final Duration maxTimeout;
    // guarded by this
    private List<String> keyedFleet;
    private Set<String> fleetKeys;

    ProbeEndpoint(Prober prober, int maxScrapesInFlight, ProbeBudget budget, Supplier<List<String>> fleet, Duration defaultTimeout,
            Duration maxTimeout) {
        this.prober = prober;
        this.scrapes = new Semaphore(maxScrapesInFlight);
        this.maxScrapes = maxScrapesInFlight;
        this.budget = budget;
        this.fleet = fleet;
        this.defaultTimeout = defaultTimeout;
        this.maxTimeout = maxTimeout;
    }

    /** @param query the decoded query parameters; scrapeTimeout the X-Prometheus-Scrape-Timeout-Seconds header or null */
    Mono<Answer> probe(Map<String, List<String>> query, String scrapeTimeout) {
        long start = System.nanoTime();
        String target = single(query, "target");
        if (target == null || target.isBlank()) {
            return bad("a target is needed: /probe?target=HOST:PORT (IPv6 as [2001:db8::1]:443, URL-encoded)");
        }
        String module = single(query, "module");
        if (module != null && !module.isEmpty() && !module.equals("tcp")) {
            return bad("module " + LogText.safe(module, 60) + ": this service probes the TCP handshake only (module=tcp)");
        }
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(target);
        } catch (InvalidEndpointException e) {
            return bad("target " + LogText.safe(e.getMessage(), 300));
        }
        if (fleet != null && !inFleet(endpoint)) {
            return bad("target " + LogText.safe(target, 200) + " is not in the fleet: this service probes only its fleet's"
                    + " addresses (serve --probe-any lets it probe any)");
        }
        Duration timeout;
        try {
            timeout = timeout(single(query, "timeout"), scrapeTimeout);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        if (!scrapes.tryAcquire()) {
            return Mono.just(new Answer(503, "busy: " + maxScrapes
                    + " scrapes already in flight (serve --max-scrapes-in-flight); the scrape fails rather than report the target down\n"));
        }
        if (!budget.tryTake(1)) {
            scrapes.release();
            return Mono.just(new Answer(503, "the probe budget of " + budget.perMinute()
                    + " a minute is spent (serve --max-probes-per-minute); the scrape fails rather than report the target down\n"));
        }
        return resolve(endpoint)
                .flatMap(resolved -> prober.events(List.of(resolved.address()), ProbeOptions.builder().timeout(timeout).build())
                        .ofType(ProbeEvent.Completed.class)
                        .next()
                        .map(Safe.fn(c -> new Answer(200, text(c.sample(), resolved, System.nanoTime() - start)))))
                .onErrorResume(UnknownHostException.class, e -> Mono.just(new Answer(200, failedLookup(System.nanoTime() - start))))
                .doFinally(s -> scrapes.release());
    }

    /** The target to probe and how long finding its address took (an IP literal: no lookup, 0). */
    private record Resolved(String address, double lookupSeconds) {
    }

    private static Mono<Resolved> resolve(Endpoint endpoint) {
        if (endpoint.literalAddress().isPresent()) {
            return Mono.just(new Resolved(endpoint.input().strip(), 0));
        }
        // a name is looked up here, timed, as blackbox_exporter does; the probe goes to the address found
        return Mono.fromCallable(() -> {
            long t0 = System.nanoTime();
            InetAddress a = Resolver.system().resolve(endpoint.host()).get(0); // .invalid and localhost answered here
            double took = (System.nanoTime() - t0) / 1e9;
            String literal = a instanceof Inet4Address ? a.getHostAddress() : "[" + a.getHostAddress() + "]";
            return new Resolved(literal + ":" + endpoint.port(), took);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Compared as parsed endpoints: the same address and port, however written. */
    private boolean inFleet(Endpoint target) {
        return fleetKeys().contains(target.key());
    }

    /** The fleet's members as keys, parsed again only when the fleet changed (a scrape per target is frequent). */
    private synchronized Set<String> fleetKeys() {
        List<String> now = fleet.get();
        if (!now.equals(keyedFleet)) {
            Set<String> keys = new HashSet<>();
            for (String member : now) {
                try {
                    keys.add(Endpoint.parse(member).key());
                } catch (InvalidEndpointException ignored) {
                    // fleet members were checked when they joined
                }
            }
            keyedFleet = now;
            fleetKeys = keys;
        }
        return fleetKeys;
    }

    /**
     * The smaller of {@code timeout=} (seconds, capped by serve's own cap) and the scrape timeout
     * Prometheus sends less half a second, as blackbox_exporter takes it; the default without either.
     */
    Duration timeout(String param, String scrapeHeader) {
        Duration t = null;
        if (param != null && !param.isEmpty()) {
            t = seconds("timeout", param);
            if (t.compareTo(maxTimeout) > 0) {
                t = maxTimeout;
            }
        }
        if (scrapeHeader != null && !scrapeHeader.isBlank()) {
            Duration scrape = seconds("X-Prometheus-Scrape-Timeout-Seconds", scrapeHeader.strip()).minus(SCRAPE_OFFSET);
            if (scrape.isNegative() || scrape.isZero()) {
                throw new IllegalArgumentException("X-Prometheus-Scrape-Timeout-Seconds " + LogText.safe(scrapeHeader, 40)
                        + " leaves no time to probe (half a second goes to the answer)");
            }
            t = t == null || scrape.compareTo(t) < 0 ? scrape : t;
        }
        return t == null ? defaultTimeout : t;
    }

    private static Duration seconds(String what, String text) {
        String v = text.endsWith("s") ? text.substring(0, text.length() - 1) : text;
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be seconds, got " + LogText.safe(text, 40));
        }
        if (!(d > 0) || d > 86_400) {
            throw new IllegalArgumentException(what + " must be seconds above 0, got " + LogText.safe(text, 40));
        }
        return Duration.ofNanos((long) (d * 1e9));
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }

    private static Mono<Answer> bad(String why) {
        return Mono.just(new Answer(400, why + "\n"));
    }

    private static String text(RttSample s, Resolved resolved, long nanos) {
        PrometheusText t = new PrometheusText();
        common(t, nanos, resolved.lookupSeconds(), s.resolved().map(a -> a.getAddress()).orElse(null), s.isOk());
        if (s.isOk()) {
            t.family("rttpick_probe_rtt_seconds", "gauge", "The handshake's round-trip time: the kernel's own sample, and our clock's");
            long rtt = s.rttMicros().getAsLong();
            if (s.timing().orElse(Timing.USERSPACE) == Timing.KERNEL) {
                t.sample("rttpick_probe_rtt_seconds", Map.of("timing", "kernel"), rtt / 1e6);
                s.userspaceRttMicros().ifPresent(user -> t.sample("rttpick_probe_rtt_seconds", Map.of("timing", "userspace"),
                        user / 1e6));
            } else {
                t.sample("rttpick_probe_rtt_seconds", Map.of("timing", "userspace"), rtt / 1e6);
            }
        }
        t.family("rttpick_probe_info", "gauge", "The probe: the prober, how the handshake ended, the outcome");
        t.sample("rttpick_probe_info", Map.of("prober", s.prober(), "handshake", s.handshake().name(), "outcome", s.outcome().name(),
                "resolved", s.resolved().map(SocketAddresses::format).orElse("")), 1);
        return t.toString();
    }

    private static String failedLookup(long nanos) {
        PrometheusText t = new PrometheusText();
        common(t, nanos, nanos / 1e9, null, false);
        t.family("rttpick_probe_info", "gauge", "The probe: the prober, how the handshake ended, the outcome");
        t.sample("rttpick_probe_info", Map.of("prober", "", "handshake", "NONE", "outcome", "RESOLVE_FAILED", "resolved", ""), 1);
        return t.toString();
    }

    private static void common(PrometheusText t, long nanos, double lookupSeconds, InetAddress ip, boolean success) {
        t.gauge("probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds", lookupSeconds);
        t.gauge("probe_duration_seconds", "Returns how long the probe took to complete in seconds", nanos / 1e9);
        t.gauge("probe_ip_addr_hash", "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
                ip == null ? 0 : ipHash(ip));
        t.gauge("probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6",
                ip == null ? 0 : ip instanceof Inet4Address ? 4 : 6);
        t.gauge("probe_success", "Displays whether or not the probe was a success", success ? 1 : 0);
    }

    /** FNV-1a (32 bits) over the address's bytes, 4 for IPv4 and 16 for IPv6, as blackbox_exporter hashes it. */
    static long ipHash(InetAddress ip) {
        long h = 0x811c9dc5L;
        for (byte b : ip.getAddress()) {
            h ^= b & 0xff;
            h = (h * 0x01000193L) & 0xffffffffL;
        }
        return h;
    }

    /** Prometheus text format 0.0.4, a family at a time. */
    private static final class PrometheusText {
        private final StringBuilder b = new StringBuilder();
        private static final Set<Character> ESCAPED = Set.of('\\', '"', '\n');

        void family(String name, String type, String help) {
            b.append("# HELP ").append(name).append(' ').append(help).append('\n');
            b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        void gauge(String name, String help, double value) {
            family(name, "gauge", help);
            sample(name, Map.of(), value);
        }

        void sample(String name, Map<String, String> labels, double value) {
            b.append(name);
            if (!labels.isEmpty()) {
                b.append('{');
                labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                    b.append(e.getKey()).append("=\"");
                    for (char c : e.getValue().toCharArray()) {
                        if (ESCAPED.contains(c)) {
                            b.append('\\').append(c == '\n' ? 'n' : c);
                        } else {
                            b.append(c);
                        }
                    }
                    b.append("\",");
                });
                b.setLength(b.length() - 1);
                b.append('}');
            }
            b.append(' ').append(value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value))
                    .append('\n');
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
