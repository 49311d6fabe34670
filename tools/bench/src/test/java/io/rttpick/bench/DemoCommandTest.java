package io.rttpick.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.cli.CapturedRun;
import org.junit.jupiter.api.Test;

/** {@code rttpick demo} outside the namespace: the loopback fleet. */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CapturedRun cli = CapturedRun.seeded(7);

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
