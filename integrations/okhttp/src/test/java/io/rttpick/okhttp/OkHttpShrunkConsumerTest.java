package io.rttpick.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.testing.ShrunkConsumer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rttpick-okhttp in an app shrunk by ProGuard with only the consumer rules the jars ship (as R8
 * would apply them in an Android build): the ordered lookup, the listener and the real request
 * still work. OkHttp, Okio and Kotlin are libraries here: their rules are their own.
 */
class OkHttpShrunkConsumerTest {
    private static final List<String> PROGRAM = List.of("rttpick-okhttp", "rttpick-selector", "rttpick-prober-api",
            "rttpick-prober-connect-fallback", "reactor-core", "reactive-streams", "slf4j-api");

    @Test
    void theShrunkAppOrdersItsAddressesAndReportsItsHandshake(@TempDir Path dir) throws Exception {
        ShrunkConsumer consumer = new ShrunkConsumer(OkHttpShrinkConsumer.class, PROGRAM,
                List.of("okhttp-jvm", "okio-jvm", "kotlin-stdlib"));
        assertEquals(PROGRAM.size(), consumer.program().size(), "the program entries found: " + consumer.program());
        Path shrunk = consumer.shrink(dir);
        try (NamedServers servers = new NamedServers()) {
            servers.start("first", "127.0.0.2");
            servers.start("second", "127.0.0.3");
            String out = consumer.run(shrunk, String.valueOf(servers.port), "127.0.0.2", "127.0.0.3");
            System.out.print("the shrunk OkHttp consumer said:\n" + out);
            assertTrue(out.contains("answered by first") || out.contains("answered by second"), out);
            assertTrue(out.contains("handshakes reported 1"), out);
        }
    }
}
