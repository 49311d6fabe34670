package io.rttpick.prober.android;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.testing.ShrunkConsumer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Android-ready jars, tested for real: a small consumer (ShrinkConsumer) and the rttpick jars an
 * Android app takes are shrunk and obfuscated by ProGuard with no rules but the consumer's own
 * entry point and those our jars ship in META-INF/proguard; the shrunk jar then runs, finds the
 * probers through ServiceLoader and picks among loopback listeners.
 */
class ShrunkConsumerTest {
    /** What an Android app takes: the API, the selector, the two java-socket probers, and Reactor. */
    private static final List<String> PROGRAM = List.of("rttpick-prober-api", "rttpick-selector", "rttpick-prober-connect-fallback",
            "rttpick-prober-tcp-android", "reactor-core", "reactive-streams", "slf4j-api");

    @Test
    void aConsumerShrunkWithOnlyTheShippedRulesStillFindsItsProbersAndPicks(@TempDir Path dir) throws Exception {
        ShrunkConsumer consumer = new ShrunkConsumer(ShrinkConsumer.class, PROGRAM, List.of());
        assertEquals(PROGRAM.size(), consumer.program().size(), "the program entries found: " + consumer.program());
        int rules = consumer.shippedRules().size();
        System.out.println("shipped rules from " + rules + " files");
        assertTrue(rules >= 4, "rules: " + rules);
        Path shrunk = consumer.shrink(dir);
        assertTrue(Files.size(shrunk) > 0);

        try (LoopbackFleet servers = new LoopbackFleet()) {
            String a = servers.open();
            String b = servers.open();
            String out = consumer.run(shrunk, a, b);
            System.out.print("the shrunk consumer said:\n" + out);
            assertTrue(out.contains("provider connect available"), out);
            assertTrue(out.contains("provider android-connect unavailable"), out);
            assertTrue(out.contains("prober connect"), out);
            assertTrue(out.contains("chosen " + a) || out.contains("chosen " + b), out);
            assertTrue(out.contains("handshake HALF_OPEN"), out);
            assertTrue(out.contains("fleet chose " + a) || out.contains("fleet chose " + b), out);
            assertTrue(out.contains("fleet changes 127.0.0.1:"), out);
            assertEquals(0, servers.accepted());
        }
    }
}
