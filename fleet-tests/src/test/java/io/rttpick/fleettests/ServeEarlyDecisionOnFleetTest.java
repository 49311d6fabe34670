package io.rttpick.fleettests;

import io.rttpick.prober.testing.FleetNamespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.serve.RttpickService;
import io.rttpick.serve.ServeSettings;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code rttpick_select} right after serve starts, on the simulated seed fleet: answered at the
 * early decision (Amsterdam's 29 ms + 20 ms), not at the dead server's timeout, with the servers
 * still being measured marked as such; the ranking completes in the background.
 */
class ServeEarlyDecisionOnFleetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void selectAnswersAtTheEarlyDecisionAndTheRankingCompletesAfter() throws Exception {
        String device = FleetNamespace.requireDevice();
        for (long timeoutMs : new long[] {500, 1_000}) {
            ServeSettings settings = new ServeSettings().listen(new InetSocketAddress("127.0.0.1", 0))
                    .server("198.18.0.29:993", "Amsterdam").server("198.18.1.27:993", "Iowa")
                    .server("198.18.2.79:993", "Hong Kong").server("198.18.3.1:993", "dead")
                    .fleetProbeOptions(ProbeOptions.builder().timeout(Duration.ofMillis(timeoutMs)).build());
            try (TunFleet fleet = TunFleet.start(FleetPlan.seed(), device);
                 Prober prober = new LinuxEpollProberProvider().create();
                 RttpickService service = RttpickService.start(settings, prober)) {
                HttpClient http = HttpClient.newHttpClient();
                call(http, service.port(), "rttpick_ping", "[{\"addresses\": [\"127.0.0.1:1\"]}]"); // warm the path
                long start = System.nanoTime();
                JsonNode early = call(http, service.port(), "rttpick_select", "[]");
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("serve, timeout %d ms: rttpick_select right after start answered %s after %d ms"
                        + " (decidedAfterMicros %d), complete %s%n", timeoutMs, early.get("chosen").asText(), tookMs,
                        early.get("decidedAfterMicros").asLong(), early.get("complete"));
                assertEquals("198.18.0.29:993", early.get("chosen").asText());
                assertFalse(early.get("complete").asBoolean(), early.toString());
                assertTrue(tookMs < timeoutMs - 150, "answered after " + tookMs + " ms");
                int measuring = 0;
                for (JsonNode e : early.get("ranking")) {
                    if (e.get("bucket").asText().equals("MEASURING")) {
                        measuring++;
                        assertTrue(e.get("outcome").isNull(), e.toString());
                    }
                }
                assertEquals(3, measuring, early.toString());

                Thread.sleep(timeoutMs + 300);
                JsonNode full = call(http, service.port(), "rttpick_select", "[]");
                assertTrue(full.get("complete").asBoolean(), full.toString());
                assertEquals("198.18.0.29:993", full.get("chosen").asText());
                StringBuilder buckets = new StringBuilder();
                full.get("ranking").forEach(e -> buckets.append(e.get("bucket").asText()).append(' '));
                // Iowa's 127 ms is 2 ms inside the AVERAGE bound: SLOW on a loaded machine is allowed
                assertTrue(buckets.toString().equals("FAST AVERAGE SLOW NONE ") || buckets.toString().equals("FAST SLOW SLOW NONE "),
                        buckets.toString());
                assertTrue(full.get("ageMs").asLong() >= timeoutMs, full.toString());
            }
        }
    }

    private static JsonNode call(HttpClient http, int port, String method, String params) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method
                        + "\",\"params\":" + params + "}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode reply = JSON.readTree(response.body());
        assertTrue(reply.has("result"), reply.toString());
        return reply.get("result");
    }
}
