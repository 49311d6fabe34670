package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.FleetPlan.Mode;
import io.rttpick.fleet.tun.FleetPlan.Unreachable;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import io.rttpick.prober.testing.FleetNamespace;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.serve.RttpickService;
import io.rttpick.serve.ServeSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover on the simulated seed fleet with +-10 ms of jitter on every answer: with Amsterdam
 * failed, Iowa (127 ms) is the fastest group of what is left, whatever Iowa measured against
 * Amsterdam. Through the library and through {@code rttpick serve}, right after the early
 * decision (the probe still completing decides again) and after the complete ranking.
 */
class FailoverOnFleetTest {
    private static final String AMS = "198.18.0.29:993";
    private static final String IOWA = "198.18.1.27:993";
    private static final List<String> SEED = List.of(AMS, IOWA, "198.18.2.79:993", "198.18.3.1:993");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ProbeOptions OPTIONS = ProbeOptions.builder().timeout(Duration.ofMillis(350)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FleetPlan seedWithJitter() {
        Duration jitter = Duration.ofMillis(10);
        return new FleetPlan()
                .add("Amsterdam", "198.18.0.29", Mode.OPEN, Duration.ofMillis(29), jitter, Unreachable.PORT)
                .add("Iowa", "198.18.1.27", Mode.OPEN, Duration.ofMillis(127), jitter, Unreachable.PORT)
                .add("Hong Kong", "198.18.2.79", Mode.OPEN, Duration.ofMillis(279), jitter, Unreachable.PORT)
                .add("dead", "198.18.3.1", Mode.BLACKHOLE, Duration.ZERO);
    }

    @Test
    void throughTheLibraryIowaIsChosenEveryTimeAmsterdamFails() throws Exception {
        String device = FleetNamespace.requireDevice();
        int rounds = 200;
        int iowa = 0;
        try (TunFleet fleet = TunFleet.start(seedWithJitter(), device);
             Prober prober = new LinuxEpollProberProvider().create()) {
            for (int round = 0; round < rounds; round++) {
                try (FleetSelector selector = FleetSelector.builder(prober, SEED).probeOptions(OPTIONS).build()) {
                    assertEquals(AMS, selector.trigger(FleetSelector.Trigger.START).block(WAIT).server().orElseThrow());
                    if (round % 2 == 1) {
                        Thread.sleep(OPTIONS.timeout().toMillis() + 100); // the complete ranking
                    }
                    FleetChoice next = selector.reportFailure(AMS).block(WAIT);
                    assertEquals(IOWA, next.server().orElse(null), "round " + round + ": " + next);
                    assertEquals(Bucket.FAST, next.group().orElseThrow(), next.toString());
                    iowa++;
                }
            }
        }
        System.out.printf("failover on the seed fleet with +-10 ms jitter, through the library: Iowa %d of %d%n", iowa, rounds);
    }

    @Test
    void throughServeIowaIsChosenEveryTimeAmsterdamFails(@TempDir Path dir) throws Exception {
        String device = FleetNamespace.requireDevice();
        int rounds = 20;
        int iowa = 0;
        HttpClient http = HttpClient.newHttpClient();
        try (TunFleet fleet = TunFleet.start(seedWithJitter(), device);
             Prober prober = new LinuxEpollProberProvider().create()) {
            for (int round = 0; round < rounds; round++) {
                Path tokenFile = dir.resolve("token-" + round);
                ServeSettings settings = new ServeSettings().listen(new InetSocketAddress("127.0.0.1", 0)).tokenFile(tokenFile)
                        .server(AMS, "Amsterdam").server(IOWA, "Iowa").server(SEED.get(2), "Hong Kong").server(SEED.get(3), "dead")
                        .fleetProbeOptions(OPTIONS);
                try (RttpickService service = RttpickService.start(settings, prober)) { // a fresh serve: Amsterdam cools off
                    String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
                    assertEquals(AMS, call(http, service.port(), null, "rttpick_select", "[]").get("chosen").asText());
                    if (round % 2 == 1) {
                        Thread.sleep(OPTIONS.timeout().toMillis() + 100);
                    }
                    JsonNode next = call(http, service.port(), token, "rttpick_reportFailure", "[\"" + AMS + "\"]");
                    assertEquals(IOWA, next.get("chosen").asText(), "round " + round + ": " + next);
                    assertEquals("FAILOVER", next.get("reason").asText(), next.toString());
                    assertEquals("FAST", next.get("group").asText(), next.toString());
                    iowa++;
                }
            }
        }
        System.out.printf("failover on the seed fleet with +-10 ms jitter, through rttpick serve: Iowa %d of %d%n", iowa, rounds);
    }

    private static JsonNode call(HttpClient http, int port, String token, String method, String params) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method
                        + "\",\"params\":" + params + "}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode reply = JSON.readTree(response.body());
        assertTrue(reply.has("result"), reply.toString());
        return reply.get("result");
    }
}
