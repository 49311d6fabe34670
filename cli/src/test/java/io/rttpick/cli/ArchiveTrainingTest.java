package io.rttpick.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveTrainingTest {
    @Test
    void everyTrainingCommandRunsAsAUserWouldRunIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Integer> codes = ArchiveTraining.train(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        // a renamed option would make a command exit 2 and the archive miss what it loads
        assertEquals(List.of(0, 0, 0, 0, 0), codes, out);
        assertTrue(out.contains("REFUSED") && out.contains("\"outcome\":\"OK\"") && out.contains("invalid port"), out);
    }
}
