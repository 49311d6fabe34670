package io.rttpick.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.cli.CapturedRun;
import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.selector.RttSelector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code rttpick demo} outside the namespace: the loopback fleet. */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoopbackFleet servers = new LoopbackFleet();
    private final CapturedRun cli = new CapturedRun(() -> RttSelector.builder().random(new SplittableRandom(7)::nextInt).build());

    @AfterEach
    void close() {
        servers.close();
    }

    @Test
    void demoPicksOneOfTheListeningServers() throws Exception {
        assertEquals(0, cli.run("demo", "--json", "--timeout-ms", "300"));
        JsonNode n = JSON.readTree(cli.out());
        assertEquals("FAST", n.get("bucket").asText());
        assertEquals(5, n.get("ranking").size());
        assertEquals("TIMEOUT", n.get("ranking").get(4).get("outcome").asText());
        assertNull(n.get("ranking").get(4).get("rttMicros").numberValue());
    }
}
