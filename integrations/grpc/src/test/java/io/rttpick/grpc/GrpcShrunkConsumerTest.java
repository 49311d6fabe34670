package io.rttpick.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.testing.ShrunkConsumer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy in an app shrunk by ProGuard with only the consumer rules the jars ship (as R8 would
 * apply them in an Android build): grpc's registry still finds it through ServiceLoader, and a
 * channel using it connects. grpc-java itself is a library here: its own rules are its own.
 */
class GrpcShrunkConsumerTest {
    private static final List<String> PROGRAM = List.of("rttpick-grpc", "rttpick-selector", "rttpick-prober-api",
            "rttpick-prober-connect-fallback", "reactor-core", "reactive-streams", "slf4j-api");

    @Test
    void theShrunkAppFindsThePolicyByNameAndConnects(@TempDir Path dir) throws Exception {
        ShrunkConsumer consumer = new ShrunkConsumer(GrpcShrinkConsumer.class, PROGRAM, List.of("grpc-api", "grpc-context"));
        assertEquals(PROGRAM.size(), consumer.program().size(), "the program entries found: " + consumer.program());
        Path shrunk = consumer.shrink(dir);
        try (WhoamiServers servers = new WhoamiServers()) {
            InetSocketAddress a = servers.start("a");
            String out = consumer.run(shrunk, "dns:///127.0.0.1:" + a.getPort());
            System.out.print("the shrunk gRPC consumer said:\n" + out);
            assertTrue(out.contains("policy rttpick"), out);
            assertTrue(out.contains("state READY"), out);
        }
    }
}
