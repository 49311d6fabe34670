package io.rttpick.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code GET /probe} as blackbox_exporter's multi-target form, and the metrics listener. */
class ProbeEndpointTest extends ServeTestCase {
    private RawHttp probe(int port, String query) throws Exception {
        return probe(port, query, Map.of());
    }

    private RawHttp probe(int port, String query, Map<String, String> headers) throws Exception {
        return RawHttp.send(port, "GET", "/probe?" + query, "127.0.0.1:" + port, null, null, headers);
    }

    private static String target(String address) {
        return "target=" + URLEncoder.encode(address, StandardCharsets.UTF_8);
    }

    /** name{labels} value lines, by name and labels. */
    private static Map<String, Double> samples(String text) {
        return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .collect(Collectors.toMap(l -> l.substring(0, l.lastIndexOf(' ')), l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))));
    }

    @Test
    void aFleetTargetIsProbedOnceAndAnsweredWithBlackboxNamesAndOurs() throws Exception {
        String open = servers.open();
        int port = start(new ServeSettings().server(open, "near"));
        RawHttp r = probe(port, target(open) + "&module=tcp");
        assertEquals(200, r.status, r.body);
        assertTrue(r.headers.get("content-type").startsWith("text/plain; version=0.0.4"), r.headers.toString());
        Map<String, Double> m = samples(r.body);
        assertEquals(1.0, m.get("probe_success"), r.body);
        assertEquals(0.0, m.get("probe_dns_lookup_time_seconds"));
        assertEquals(4.0, m.get("probe_ip_protocol"));
        assertEquals((double) ProbeEndpoint.ipHash(InetAddress.getByName("127.0.0.1")), m.get("probe_ip_addr_hash"));
        assertTrue(m.get("probe_duration_seconds") > 0 && m.get("probe_duration_seconds") < 1, r.body);
        String timing = prober.name().equals("linux-epoll") ? "kernel" : "userspace";
        double rtt = m.get("rttpick_probe_rtt_seconds{timing=\"" + timing + "\"}");
        assertTrue(rtt >= 0 && rtt < 0.1, r.body);
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("rttpick_probe_info{") && k.contains("outcome=\"OK\"")), r.body);
        assertEquals(1, watched.addresses.get());
        assertTrue(r.body.contains("# TYPE probe_success gauge"), r.body);
    }

    @Test
    void aFailedProbeIsSuccessZeroWithNoRttSeries() throws Exception {
        String closed = servers.closed();
        int port = start(new ServeSettings().server(closed, null));
        RawHttp r = probe(port, target(closed));
        assertEquals(200, r.status);
        Map<String, Double> m = samples(r.body);
        assertEquals(0.0, m.get("probe_success"), r.body);
        assertFalse(r.body.contains("rttpick_probe_rtt_seconds{"), r.body);
        assertTrue(r.body.contains("outcome=\"REFUSED\""), r.body);
        for (String always : List.of("probe_duration_seconds", "probe_dns_lookup_time_seconds", "probe_ip_protocol", "probe_ip_addr_hash")) {
            assertTrue(m.containsKey(always), always + " missing: " + r.body);
        }
    }

    @Test
    void targetsAreComparedAsParsedEndpointsIpv6UrlEncoded() throws Exception {
        String v6 = servers.open(InetAddress.getByName("::1"));
        String spelledOut = v6.replace("[::1]", "[0:0:0:0:0:0:0:1]");
        int port = start(new ServeSettings().server(spelledOut, "v6"));
        RawHttp r = probe(port, target(v6));
        assertEquals(200, r.status, r.body);
        assertEquals(6.0, samples(r.body).get("probe_ip_protocol"));
        assertEquals(1.0, samples(r.body).get("probe_success"), r.body);
    }

    @Test
    void aForeignOrBadTargetIs400NamingItAndNeverAProbe() throws Exception {
        String open = servers.open();
        String other = servers.open();
        int port = start(new ServeSettings().server(open, null));
        RawHttp foreign = probe(port, target(other));
        assertEquals(400, foreign.status);
        assertTrue(foreign.body.contains("target " + other + " is not in the fleet"), foreign.body);
        assertTrue(foreign.body.contains("--probe-any"), foreign.body);
        RawHttp bad = probe(port, target("127.0.0.1:99999"));
        assertEquals(400, bad.status);
        assertTrue(bad.body.contains("127.0.0.1:99999: invalid port"), bad.body);
        assertEquals(400, probe(port, "").status);
        RawHttp module = probe(port, target(open) + "&module=http_2xx");
        assertEquals(400, module.status);
        assertTrue(module.body.contains("module http_2xx"), module.body);
        assertEquals(0, watched.addresses.get(), "nothing probed");
        assertEquals(405, RawHttp.send(port, "POST", "/probe?" + target(open), "127.0.0.1:" + port, null, "").status);
    }

    @Test
    void withProbeAnyAForeignTargetIsProbed() throws Exception {
        String other = servers.open();
        int port = start(new ServeSettings().probeAny(true));
        assertEquals(1.0, samples(probe(port, target(other)).body).get("probe_success"));
    }

    @Test
    void theTimeoutIsTheSmallerOfTimeoutAndTheScrapeTimeoutLessHalfASecond() throws Exception {
        int port = start(new ServeSettings());
        ProbeEndpoint p = new ProbeEndpoint(prober, 1, new ProbeBudget(1, System::nanoTime),
                null, Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertEquals(Duration.ofSeconds(1), p.timeout(null, null));
        assertEquals(Duration.ofMillis(1_500), p.timeout(null, "2"));
        assertEquals(Duration.ofMillis(300), p.timeout("0.3", "2"));
        assertEquals(Duration.ofMillis(1_500), p.timeout("5s", "2"));
        assertEquals(Duration.ofSeconds(60), p.timeout("100", null), "capped by serve's own cap");
        String silent = servers.silent();
        int any = port;
        stop();
        any = start(new ServeSettings().probeAny(true));
        long t0 = System.nanoTime();
        RawHttp blackhole = probe(any, target(silent), Map.of("X-Prometheus-Scrape-Timeout-Seconds", "2"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0.0, samples(blackhole.body).get("probe_success"), blackhole.body);
        assertTrue(ms >= 1_400 && ms < 2_400, "a 2 s scrape timeout probes for 1.5 s: " + ms + " ms");
        assertEquals(400, probe(any, target(silent) + "&timeout=soon").status);
        assertEquals(400, probe(any, target(silent), Map.of("X-Prometheus-Scrape-Timeout-Seconds", "0.4")).status);
    }

    @Test
    void overTheInFlightCapOrTheBudgetTheScrapeFailsWith503() throws Exception {
        String silent = servers.silent();
        String open = servers.open();
        // the JSON-RPC calls' cap is not the scrapes': a scrape is refused by its own
        int port = start(new ServeSettings().probeAny(true).maxCallsInFlight(1).maxScrapesInFlight(1).maxProbesPerMinute(3));
        Thread slow = new Thread(() -> {
            try {
                probe(port, target(silent) + "&timeout=1.5");
            } catch (Exception ignored) {
                // the test reads the second answer
            }
        });
        slow.start();
        Thread.sleep(300);
        RawHttp busy = probe(port, target(open));
        assertEquals(503, busy.status, busy.body);
        assertTrue(busy.body.contains("--max-scrapes-in-flight"), busy.body);
        slow.join();
        assertEquals(200, probe(port, target(open)).status);
        assertEquals(200, probe(port, target(open)).status);
        RawHttp spent = probe(port, target(open));
        assertEquals(503, spent.status, spent.body);
        assertTrue(spent.body.contains("--max-probes-per-minute"), spent.body);
    }

    @Test
    void withTheDefaultsThirtyTwoScrapesAtOnceAreAnsweredWhileTheJsonRpcCapStaysFour() throws Exception {
        String silent = servers.silent();
        int port = start(new ServeSettings().probeAny(true));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        try {
            List<java.util.concurrent.Future<RawHttp>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                answers.add(pool.submit(() -> probe(port, target(silent) + "&timeout=1")));
            }
            int ok = 0;
            for (java.util.concurrent.Future<RawHttp> a : answers) {
                RawHttp r = a.get(30, java.util.concurrent.TimeUnit.SECONDS);
                ok += r.status == 200 ? 1 : 0;
                assertEquals(200, r.status, r.body);
            }
            assertEquals(32, ok);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theMetricsListenerServesOnlyProbeAndMetricsToItsNamesWithItsToken() throws Exception {
        String open = servers.open();
        start(new ServeSettings().server(open, null).metricsListen(new InetSocketAddress("127.0.0.1", 0))
                .allowHost("monitor.example").metricsToken("s3cret"));
        int m = service.metricsAddress().orElseThrow().getPort();
        Map<String, String> bearer = Map.of("Authorization", "Bearer s3cret");
        assertEquals(200, RawHttp.send(m, "GET", "/probe?" + target(open), "monitor.example:" + m, null, null, bearer).status);
        assertEquals(200, RawHttp.send(m, "GET", "/metrics", "127.0.0.1:" + m, null, null, bearer).status);
        RawHttp noToken = RawHttp.send(m, "GET", "/metrics", "127.0.0.1:" + m, null, null);
        assertEquals(401, noToken.status);
        assertEquals("Bearer", noToken.headers.get("www-authenticate"));
        assertEquals(401, RawHttp.send(m, "GET", "/metrics", "127.0.0.1:" + m, null, null, Map.of("Authorization", "Bearer nope")).status);
        assertEquals(403, RawHttp.send(m, "GET", "/metrics", "elsewhere.example:" + m, null, null, bearer).status);
        assertEquals(404, RawHttp.send(m, "GET", "/", "127.0.0.1:" + m, null, null, bearer).status, "no page there");
        RawHttp rpc = RawHttp.send(m, "POST", "/", "127.0.0.1:" + m, null,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"mailservers_ping\",\"params\":[{\"addresses\":[\"" + open + "\"]}]}", bearer);
        assertEquals(404, rpc.status, "no JSON-RPC there");
        assertEquals(1, watched.addresses.get(), "only the /probe above probed");
        // the main listener answers to its own names only
        assertEquals(403, RawHttp.send(service.port(), "GET", "/metrics", "monitor.example:" + service.port(), null, null).status);
    }
}
