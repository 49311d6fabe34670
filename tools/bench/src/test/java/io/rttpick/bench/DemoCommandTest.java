package io.rttpick.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.cli.Main;
import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Probers;
import io.rttpick.selector.RttSelector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rttpick demo} outside the namespace: the loopback fleet. */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoopbackFleet servers = new LoopbackFleet();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void close() {
        servers.close();
    }

    /** The command line as ./rttpick runs it, with this module's command found on the class path. */
    private int run(String... args) {
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Probers.load(), () -> RttSelector.builder().random(new SplittableRandom(7)::nextInt).build());
        return main.run(List.of(args));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoPicksOneOfTheListeningServers() throws Exception {
        assertEquals(0, run("demo", "--json", "--timeout-ms", "300"));
        JsonNode n = JSON.readTree(out());
        assertEquals("FAST", n.get("bucket").asText());
        assertEquals(5, n.get("ranking").size());
        assertEquals("TIMEOUT", n.get("ranking").get(4).get("outcome").asText());
        assertNull(n.get("ranking").get(4).get("rttMicros").numberValue());
    }
}
