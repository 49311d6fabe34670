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

    @Test
    void demoRefusesAddressesAndSaysWhereTheyBelong() {
        assertEquals(2, cli.run("demo", "127.0.0.1:19001"));
        assertEquals("", cli.out(), "nothing probed");
        org.junit.jupiter.api.Assertions.assertTrue(cli.err().contains("demo picks over its own fleet and takes no addresses"
                + " (got 127.0.0.1:19001)"), cli.err());
    }

    @Test
    void demoAndBenchPrintTheirOwnHelp() {
        for (String command : new String[] {"demo", "bench"}) {
            cli.reset();
            assertEquals(0, cli.run(command, "--help"), cli.err());
            org.junit.jupiter.api.Assertions.assertTrue(cli.out().startsWith("usage: rttpick " + command), cli.out());
        }
        org.junit.jupiter.api.Assertions.assertTrue(cli.out().contains("1..40000"), "bench states its real range: " + cli.out());
    }
}
