package io.rttpick.fleettests;

import io.rttpick.prober.testing.FleetNamespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.fleet.tun.ConnectionRecord;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.Prober;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import io.rttpick.serve.RttpickService;
import io.rttpick.serve.ServeSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a Prometheus probe, scraped by a real Prometheus (Debian's) in the simulated
 * fleet's namespace, with the scrape configuration and alert rules read from docs/prometheus.md.
 */
class PrometheusOnFleetTest {
    private static final Path DOCS = Path.of("..", "docs", "prometheus.md");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Double> SEED_MS = Map.of("198.18.0.29:993", 29.0, "198.18.1.27:993", 127.0,
            "198.18.2.79:993", 279.0);

    @Test
    void prometheusScrapesTheSeedFleetThroughServeWithTheDocsConfiguration(@TempDir Path dir) throws Exception {
        String device = FleetNamespace.requireDevice();
        requirePrometheus();
        String docs = Files.readString(DOCS);
        Files.writeString(dir.resolve("rttpick-alerts.yml"), block(docs, "rttpick-alerts.yml"));
        Files.writeString(dir.resolve("rules-test.yml"), RULES_TEST);
        run(dir, Duration.ofSeconds(30), PROMTOOL.toString(), "test", "rules", "rules-test.yml");

        ServeSettings settings = new ServeSettings().listen(new InetSocketAddress("127.0.0.1", 0)).maxCallsInFlight(16)
                .server("198.18.0.29:993", "Amsterdam").server("198.18.1.27:993", "Iowa")
                .server("198.18.2.79:993", "Hong Kong").server("198.18.3.1:993", "an old server");
        Process prometheus = null;
        try (TunFleet fleet = TunFleet.start(FleetPlan.seed(), device);
             Prober prober = new LinuxEpollProberProvider().create();
             RttpickService service = RttpickService.start(settings, prober)) {
            // the docs' configuration, with this agent's port and a 2 s interval and scrape timeout
            String config = block(docs, "prometheus.yml")
                    .replace("127.0.0.1:8545", "127.0.0.1:" + service.port())
                    .replace("scrape_interval: 15s", "scrape_interval: 2s")
                    .replace("scrape_timeout: 5s", "scrape_timeout: 2s")
                    .replace("evaluation_interval: 15s", "evaluation_interval: 2s");
            assertTrue(config.contains("127.0.0.1:" + service.port()) && config.contains("scrape_timeout: 2s"), config);
            Files.writeString(dir.resolve("prometheus.yml"), config);
            String check = run(dir, Duration.ofSeconds(30), PROMTOOL.toString(), "check", "config", "prometheus.yml");
            System.out.println("promtool check config: " + check.strip().replace('\n', ' '));

            int web = freePort();
            prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=prometheus.yml",
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + web, "--log.level=warn")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Map<String, Double> success = Map.of();
            Map<String, Double> up = Map.of();
            Map<String, Double> scrapes = Map.of();
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < until && prometheus.isAlive()) {
                Thread.sleep(1_000);
                try {
                    success = query(http, web, "probe_success{job=\"rttpick\"}");
                    up = query(http, web, "up{job=\"rttpick\"}");
                    scrapes = query(http, web, "count_over_time(up{job=\"rttpick\"}[1m])");
                } catch (IOException notYet) {
                    continue;
                }
                // a few scrapes of every target first
                if (success.size() == 4 && up.size() == 4 && scrapes.size() == 4 && scrapes.values().stream().allMatch(n -> n >= 3)) {
                    break;
                }
            }
            Map<String, Double> rtt = query(http, web, "rttpick_probe_rtt_seconds{job=\"rttpick\",timing=\"kernel\"}");
            System.out.println("Prometheus: probe_success " + success + "; up " + up + "; rttpick_probe_rtt_seconds{timing=kernel} "
                    + rtt + "; scrapes so far " + scrapes);
            assertEquals(Map.of("198.18.0.29:993", 1.0, "198.18.1.27:993", 1.0, "198.18.2.79:993", 1.0, "198.18.3.1:993", 0.0),
                    success, log(dir));
            assertEquals(Map.of("198.18.0.29:993", 1.0, "198.18.1.27:993", 1.0, "198.18.2.79:993", 1.0, "198.18.3.1:993", 1.0), up,
                    "the blackhole's probe times out inside its 2 s scrape timeout: up 1, probe_success 0");
            assertEquals(SEED_MS.keySet(), rtt.keySet(), "no RTT for the server that did not answer");
            // never shorter than what the fleet held one of that server's SYNs, and at most 5 ms longer: the fleet's
            // hold starts when it reads the SYN from the TUN device, so the machine's own lag (device, scheduler; a few
            // ms on a loaded 2-core CI machine with Prometheus beside it) lies between the two. Also near the plan.
            for (Map.Entry<String, Double> e : SEED_MS.entrySet()) {
                double reportedMs = rtt.get(e.getKey()) * 1_000;
                java.net.InetAddress server = java.net.InetAddress.getByName(e.getKey().substring(0, e.getKey().indexOf(':')));
                List<Double> applied = fleet.records(server).stream().filter(ConnectionRecord::answered)
                        .map(r -> r.appliedDelayMicros() / 1_000.0).collect(java.util.stream.Collectors.toList());
                assertTrue(applied.stream().anyMatch(ms -> reportedMs >= ms - 0.5 && reportedMs <= ms + 5.0),
                        e.getKey() + ": " + reportedMs + " ms, the fleet's answers came after " + applied + " ms");
                assertEquals(e.getValue(), reportedMs, 10.0, e.getKey());
            }
            assertTrue(scrapes.values().stream().allMatch(n -> n >= 3), "a few scrapes each: " + scrapes);
            // and each scrape was a real probe: the fleet saw Amsterdam's SYNs, and none was completed with an ACK
            // (half-open; a probe still under way when this is read has no reply yet)
            List<ConnectionRecord> ams = fleet.records(java.net.InetAddress.getByName("198.18.0.29"));
            assertTrue(ams.size() >= 3, ams.toString());
            Thread.sleep(400); // past the 200 ms a delayed ACK may wait
            assertTrue(ams.stream().noneMatch(r -> r.clientReply() == ConnectionRecord.ClientReply.ACK), ams.toString());
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** The alert rule from the docs, fed a server that answers, then stops: firing after its two minutes. */
    private static final String RULES_TEST = """
            rule_files:
              - rttpick-alerts.yml
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'probe_success{job="rttpick",instance="198.18.3.1:993"}'
                    values: '1 1 0 0 0 0 0'
                  - series: 'probe_success{job="rttpick",instance="198.18.0.29:993"}'
                    values: '1 1 1 1 1 1 1'
                alert_rule_test:
                  - eval_time: 3m
                    alertname: MailServerNotAnswering
                    exp_alerts: []
                  - eval_time: 5m
                    alertname: MailServerNotAnswering
                    exp_alerts:
                      - exp_labels:
                          severity: warning
                          job: rttpick
                          instance: 198.18.3.1:993
                        exp_annotations:
                          summary: "198.18.3.1:993 has not answered a handshake for 2 minutes"
            """;

    /** The fenced block that follows {@code <!-- name -->} in the docs page. */
    static String block(String docs, String name) {
        Matcher m = Pattern.compile("<!-- " + Pattern.quote(name) + " -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL).matcher(docs);
        assertTrue(m.find(), name + " is not in " + DOCS);
        return m.group(1);
    }

    private static Map<String, Double> query(HttpClient http, int port, String promql) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(promql + ": HTTP " + response.statusCode() + " " + response.body());
        }
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode r : JSON.readTree(response.body()).path("data").path("result")) {
            out.put(r.path("metric").path("instance").asText(), Double.parseDouble(r.path("value").get(1).asText()));
        }
        return out;
    }

    private static String run(Path dir, Duration limit, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + limit);
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void requirePrometheus() {
        if (Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL)) {
            return;
        }
        FleetNamespace.skipOrFail("needs Debian's prometheus (" + PROMETHEUS + ", " + PROMTOOL + ")");
    }
}
