package io.rttpick.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Probers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoopbackFleet servers = new LoopbackFleet();
    private final CapturedRun cli = CapturedRun.seeded(7);

    @AfterEach
    void close() {
        servers.close();
    }

    @Test
    void pingJsonLinesCarryTheNamedFields() throws Exception {
        String open = servers.open();
        String closed = servers.closed();
        assertEquals(0, cli.run("ping", "--json", "--timeout-ms", "2000", open, closed, "1.1.1.1:313121"));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : cli.out().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(3, lines.size(), cli.out());
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
        assertEquals(0, cli.run("pick", "--json", open, closed, "bad"));
        JsonNode n = JSON.readTree(cli.out());
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
        assertEquals(0, cli.run("pick", "--json", "--count", "3", "--spacing-ms", "100", open));
        // two pauses of 100 ms between the three samples
        assertTrue(System.nanoTime() - before >= 200_000_000L, "samples were not spaced");
        JsonNode r = JSON.readTree(cli.out()).get("ranking").get(0);
        assertEquals(3, r.get("samples").asInt());
        assertTrue(r.get("jitterMicros").isNumber(), r.toString());
        assertEquals(0.0, r.get("loss").asDouble());
        assertEquals(2, cli.run("pick", "--spacing-ms", "-5", open));
        assertTrue(cli.err().contains("--spacing-ms needs a positive whole number, got '-5'"), cli.err());
    }

    @Test
    void pickWithNothingReachableExitsOne() throws Exception {
        assertEquals(1, cli.run("pick", "--json", servers.closed()));
        JsonNode n = JSON.readTree(cli.out());
        assertTrue(n.get("chosen").isNull());
        assertTrue(n.get("bucket").isNull());
    }

    @Test
    void textPickPrintsTheChoiceThenTheGroups() throws Exception {
        String open = servers.open();
        assertEquals(0, cli.run("pick", open, servers.closed()));
        String[] lines = cli.out().split("\n");
        assertTrue(lines[0].startsWith("chosen: " + open + " (FAST"), cli.out());
        assertTrue(lines[1].contains("FAST") && lines[1].contains(open), cli.out());
        assertTrue(lines[2].contains("NONE") && lines[2].contains("REFUSED"), cli.out());
    }

    @Test
    void addressesComeFromAFileWithNamesAndComments(@TempDir Path dir) throws Exception {
        String open = servers.open();
        Path file = dir.resolve("fleet.txt");
        Files.writeString(file, "# the fleet\n\n" + open + "   Amsterdam one\n1.1.1.1:313121 broken # typo\n");
        assertEquals(0, cli.run("ping", "--json", "--file", file.toString()));
        String output = cli.out();
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
        assertEquals(0, cli.run("ping", "--json", "--file", file.toString()));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : cli.out().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(3, lines.size(), cli.out());
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
        cli.run("ping", "--file", file.toString(), "bad\r\nforged line:1");
        String text = cli.out();
        assertFalse(text.contains("\u001b") || text.contains("\u0007"), "raw control characters reached the terminal: " + text);
        assertTrue(text.contains("\\u001b[2J"), text);
        assertTrue(text.contains("bad\\r\\nforged line:1"), text);
        assertEquals(2, text.strip().split("\n").length, "one line per result: " + text);
    }

    @Test
    void badUsageExitsTwoAndNamesTheProblem() {
        assertEquals(2, cli.run("ping", "--frobnicate", "1.2.3.4:1"));
        assertTrue(cli.err().contains("unknown option --frobnicate"), cli.err());
        assertEquals(2, cli.run("pick"));
        assertTrue(cli.err().contains("no address given"), cli.err());
        assertEquals(2, cli.run("ping", "--count", "0", "x:1"));
        assertTrue(cli.err().contains("--count needs a positive whole number, got '0'"), cli.err());
        assertEquals(2, cli.run("ping", "--file", "/nonexistent/fleet.txt"));
        assertTrue(cli.err().contains("cannot read --file /nonexistent/fleet.txt: no such file"), cli.err());
        assertEquals(2, cli.run("launch"));
        assertTrue(cli.err().contains("unknown command 'launch'"), cli.err());
        assertEquals(2, cli.run("ping", "--prober", "nope", "x:1"));
        assertTrue(cli.err().contains("no prober named 'nope'"), cli.err());
    }

    @Test
    void aFileThatListsNothingIsNamedUnlessOtherAddressesWereGiven(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "# nothing yet\n\n");
        assertEquals(2, cli.run("pick", "--file", empty.toString()));
        assertTrue(cli.err().contains("--file " + empty + " lists no address"), cli.err());
        assertEquals(2, cli.run("pick", "--file", dir.toString()));
        assertTrue(cli.err().contains("cannot read --file " + dir + ": "), cli.err());
        assertEquals(1, cli.run("pick", "--file", empty.toString(), servers.closed()), "probed: " + cli.err());
    }

    @Test
    void malformedAddressesAreSamplesNotUsageErrors() {
        assertEquals(0, cli.run("ping", "not-an-address"));
        assertTrue(cli.out().contains("INVALID") && cli.out().contains("address not-an-address: missing port"), cli.out());
    }

    @Test
    void probersListsEveryProviderAndWhyOthersAreUnavailable() throws Exception {
        assertEquals(0, cli.run("probers"));
        String output = cli.out();
        assertTrue(output.contains("linux-epoll") && output.contains("darwin-kqueue") && output.contains("connect"), output);
        assertTrue(output.contains("would use: " + Probers.load().choose(java.util.Optional.empty()).name()), output);
        assertTrue(output.contains("unavailable: "), output);

        cli.reset();
        assertEquals(0, cli.run("ping", "--prober", "connect", "--json", servers.closed()));
        assertTrue(cli.out().contains("\"prober\":\"connect\""), cli.out());
    }

    /** A hostile argument cannot drive the terminal through an error message either. */
    @Test
    void controlCharactersInUsageAndProberErrorsAreEscaped() {
        assertEquals(2, cli.run("ping", "--prober", "\u001b[31mred", "x:1"));
        assertEquals(2, cli.run("launch\u001b[2J"));
        assertEquals(2, cli.run("ping", "--family", "\u001b[2J"));
        assertFalse(cli.err().contains("\u001b"), cli.err());
        assertTrue(cli.err().contains("no prober named '\\u001b[31mred'"), cli.err());
        assertTrue(cli.err().contains("unknown command 'launch\\u001b[2J'"), cli.err());
    }
}
