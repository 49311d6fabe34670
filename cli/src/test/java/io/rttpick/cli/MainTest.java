package io.rttpick.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Probers;
import io.rttpick.selector.RttSelector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoopbackFleet servers = new LoopbackFleet();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void close() {
        servers.close();
    }

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
    void pingJsonLinesCarryTheNamedFields() throws Exception {
        String open = servers.open();
        String closed = servers.closed();
        assertEquals(0, run("ping", "--json", "--timeout-ms", "2000", open, closed, "1.1.1.1:313121"));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(3, lines.size(), out());
        for (JsonNode n : lines) {
            for (String field : List.of("address", "resolved", "outcome", "rttMicros", "timing", "handshake", "error")) {
                assertTrue(n.has(field), field + " missing in " + n);
            }
            switch (n.get("address").asText()) {
                case "1.1.1.1:313121":
                    assertEquals("INVALID", n.get("outcome").asText());
                    assertTrue(n.get("resolved").isNull());
                    assertTrue(n.get("rttMicros").isNull());
                    assertEquals("address 1.1.1.1:313121: invalid port", n.get("error").asText());
                    break;
                default:
                    boolean ok = n.get("address").asText().equals(open);
                    assertEquals(ok ? "OK" : "REFUSED", n.get("outcome").asText(), n.toString());
                    assertEquals(n.get("address").asText(), n.get("resolved").asText());
                    assertEquals(ok, n.get("rttMicros").isNumber());
                    if (ok) {
                        assertTrue(List.of("KERNEL", "USERSPACE").contains(n.get("timing").asText()), n.toString());
                        assertTrue(List.of("HALF_OPEN", "COMPLETED").contains(n.get("handshake").asText()), n.toString());
                    } else {
                        assertTrue(n.get("timing").isNull(), n.toString());
                        assertEquals("NONE", n.get("handshake").asText());
                    }
                    assertEquals(ok, n.get("error").isNull());
            }
        }
    }

    @Test
    void pickJsonIsOneObjectWithTheChoiceAndTheRanking() throws Exception {
        String open = servers.open();
        String closed = servers.closed();
        assertEquals(0, run("pick", "--json", open, closed, "bad"));
        JsonNode n = JSON.readTree(out());
        assertEquals(open, n.get("chosen").asText());
        assertEquals("FAST", n.get("bucket").asText());
        assertTrue(n.get("decidedAfterMicros").isNumber());
        JsonNode ranking = n.get("ranking");
        assertEquals(3, ranking.size());
        assertEquals(open, ranking.get(0).get("address").asText());
        for (JsonNode r : ranking) {
            for (String field : List.of("address", "resolved", "bucket", "rttMicros", "outcome", "error")) {
                assertTrue(r.has(field), field + " missing in " + r);
            }
        }
        assertEquals("NONE", ranking.get(2).get("bucket").asText());
        assertEquals("INVALID", ranking.get(2).get("outcome").asText());
        assertEquals("address bad: missing port", ranking.get(2).get("error").asText());
    }

    @Test
    void spacedSamplesGiveEachServerAJitterAndALoss() throws Exception {
        String open = servers.open();
        long before = System.nanoTime();
        assertEquals(0, run("pick", "--json", "--count", "3", "--spacing-ms", "100", open));
        // two pauses of 100 ms between the three samples
        assertTrue(System.nanoTime() - before >= 200_000_000L, "samples were not spaced");
        JsonNode r = JSON.readTree(out()).get("ranking").get(0);
        assertEquals(3, r.get("samples").asInt());
        assertTrue(r.get("jitterMicros").isNumber(), r.toString());
        assertEquals(0.0, r.get("loss").asDouble());
        assertEquals(2, run("pick", "--spacing-ms", "-5", open));
        assertTrue(err().contains("--spacing-ms needs a positive whole number, got '-5'"), err());
    }

    @Test
    void pickWithNothingReachableExitsOne() throws Exception {
        assertEquals(1, run("pick", "--json", servers.closed()));
        JsonNode n = JSON.readTree(out());
        assertTrue(n.get("chosen").isNull());
        assertTrue(n.get("bucket").isNull());
    }

    @Test
    void textPickPrintsTheChoiceThenTheGroups() throws Exception {
        String open = servers.open();
        assertEquals(0, run("pick", open, servers.closed()));
        String[] lines = out().split("\n");
        assertTrue(lines[0].startsWith("chosen: " + open + " (FAST"), out());
        assertTrue(lines[1].contains("FAST") && lines[1].contains(open), out());
        assertTrue(lines[2].contains("NONE") && lines[2].contains("REFUSED"), out());
    }

    @Test
    void addressesComeFromAFileWithNamesAndComments(@TempDir Path dir) throws Exception {
        String open = servers.open();
        Path file = dir.resolve("fleet.txt");
        Files.writeString(file, "# the fleet\n\n" + open + "   Amsterdam one\n1.1.1.1:313121 broken # typo\n");
        assertEquals(0, run("ping", "--json", "--file", file.toString()));
        String output = out();
        assertTrue(output.contains("\"name\":\"Amsterdam one\""), output);
        assertEquals(2, output.split("\n").length, output);
    }

    @Test
    void aFileLineThatIsNotUtf8IsOneInvalidResultNamingItsLineAndTheOthersAreProbed(@TempDir Path dir) throws Exception {
        String open = servers.open();
        Path file = dir.resolve("list.txt");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.write((open + " first\n").getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {'1', '2', '7', '.', '0', '.', '0', '.', '1', ':', '9', ' ', 'Z', (byte) 0xfc, 'r', 'i', 'c', 'h', '\n'});
        bytes.write((open + " third\n").getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());
        assertEquals(0, run("ping", "--json", "--file", file.toString()));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(3, lines.size(), out());
        lines.sort(java.util.Comparator.comparingInt(n -> n.get("index").asInt()));
        assertEquals("OK", lines.get(0).get("outcome").asText());
        assertEquals("INVALID", lines.get(1).get("outcome").asText());
        assertEquals("line 2 of " + file + " is not valid UTF-8", lines.get(1).get("error").asText());
        assertEquals("OK", lines.get(2).get("outcome").asText());
    }

    @Test
    void controlCharactersInAddressesAndNamesAreEscapedInHumanOutput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("list.txt");
        Files.writeString(file, "evil\u001b[2J:1 name\u0007with\u001b]0;title\u0007bell\n");
        run("ping", "--file", file.toString(), "bad\r\nforged line:1");
        String text = out();
        assertFalse(text.contains("\u001b") || text.contains("\u0007"), "raw control characters reached the terminal: " + text);
        assertTrue(text.contains("\\u001b[2J"), text);
        assertTrue(text.contains("bad\\r\\nforged line:1"), text);
        assertEquals(2, text.strip().split("\n").length, "one line per result: " + text);
    }

    @Test
    void badUsageExitsTwoAndNamesTheProblem() {
        assertEquals(2, run("ping", "--frobnicate", "1.2.3.4:1"));
        assertTrue(err().contains("unknown option --frobnicate"), err());
        assertEquals(2, run("pick"));
        assertTrue(err().contains("no address given"), err());
        assertEquals(2, run("ping", "--count", "0", "x:1"));
        assertTrue(err().contains("--count needs a positive whole number, got '0'"), err());
        assertEquals(2, run("ping", "--file", "/nonexistent/fleet.txt"));
        assertTrue(err().contains("cannot read --file /nonexistent/fleet.txt"), err());
        assertEquals(2, run("launch"));
        assertTrue(err().contains("unknown command 'launch'"), err());
        assertEquals(2, run("ping", "--prober", "nope", "x:1"));
        assertTrue(err().contains("no prober named 'nope'"), err());
    }

    @Test
    void malformedAddressesAreSamplesNotUsageErrors() {
        assertEquals(0, run("ping", "not-an-address"));
        assertTrue(out().contains("INVALID") && out().contains("address not-an-address: missing port"), out());
    }

    @Test
    void probersListsEveryProviderAndWhyOthersAreUnavailable() throws Exception {
        assertEquals(0, run("probers"));
        String output = out();
        assertTrue(output.contains("linux-epoll") && output.contains("darwin-kqueue") && output.contains("connect"), output);
        assertTrue(output.contains("would use: " + Probers.load().choose(java.util.Optional.empty()).name()), output);
        assertTrue(output.contains("unavailable: "), output);

        out.reset();
        assertEquals(0, run("ping", "--prober", "connect", "--json", servers.closed()));
        assertTrue(out().contains("\"prober\":\"connect\""), out());
    }
}
