package io.rttpick.serve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.cli.CapturedRun;
import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Probers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rttpick serve}: its options, its start on a plain fleet file, its mistakes named. */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoopbackFleet servers = new LoopbackFleet();
    private final CapturedRun cli = CapturedRun.seeded(7);

    @AfterEach
    void close() {
        servers.close();
    }

    @Test
    void serveListensAnswersAndStopsAndItsMistakesAreNamed(@TempDir Path dir) throws Exception {
        String open = servers.open();
        Path file = dir.resolve("fleet.txt");
        Files.writeString(file, open + " Near\n");
        RunningServe serve = serve(List.of("--listen", "127.0.0.1:0", "--fleet", file.toString()));
        String banner = serve.banner();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(banner);
        assertTrue(m.find(), banner);
        assertTrue(banner.contains("fleet of 1 from"), banner);
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + m.group(1) + "/"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rttpick_select\",\"params\":[]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(open, JSON.readTree(r.body()).get("result").get("chosen").asText(), r.body());
        serve.stop();

        assertEquals(2, cli.run("serve", "--fleet-only"));
        assertTrue(cli.err().contains("--fleet-only needs --fleet FILE"), cli.err());
        assertEquals(2, cli.run("serve", "--listen", "somewhere"));
        assertTrue(cli.err().contains("--listen needs HOST:PORT, got 'somewhere'"), cli.err());
        Files.writeString(file, "# the fleet\n" + open + " Near\n\nbad:99999 Far\n");
        assertEquals(2, cli.run("serve", "--fleet", file.toString()));
        assertTrue(cli.err().contains("--fleet " + file + ":4: address bad:99999: invalid port"), cli.err());
        Files.write(file, new byte[] {'1', '2', '7', '.', '0', '.', '0', '.', '1', ':', '1', ' ', (byte) 0xff, '\n'});
        assertEquals(2, cli.run("serve", "--fleet", file.toString()));
        assertTrue(cli.err().contains("--fleet " + file + ":1: not valid UTF-8"), cli.err());
        assertEquals(2, cli.run("serve", "--fleet", dir.resolve("missing.txt").toString()));
        assertTrue(cli.err().contains("cannot read --fleet " + dir.resolve("missing.txt") + ": no such file"), cli.err());
    }

    /** {@code rttpick serve} on a thread of its own, its output kept; started once it has printed its token file. */
    private final class RunningServe {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        Thread thread;

        String banner() {
            return out.toString(StandardCharsets.UTF_8);
        }

        void stop() throws InterruptedException {
            stop.countDown();
            thread.join(10_000);
            assertFalse(thread.isAlive());
        }
    }

    private RunningServe serve(List<String> args) throws InterruptedException {
        RunningServe s = new RunningServe();
        ServeCommand command = new ServeCommand(new PrintStream(s.out, true, StandardCharsets.UTF_8),
                cli.errStream(), Probers.load());
        s.thread = new Thread(() -> {
            try {
                command.run(args, s.stop);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        s.thread.start();
        long until = System.nanoTime() + 20_000_000_000L;
        while (!s.banner().contains("readable by this user only") && System.nanoTime() < until && s.thread.isAlive()) {
            Thread.sleep(20);
        }
        return s;
    }

    /** First contact: a fleet file of bare addresses, no names at all (this once died with a NullPointerException). */
    @Test
    void serveStartsOnAFleetFileOfBareAddressesAndPrintsThePageWithItsToken(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fleet.txt");
        Files.writeString(file, servers.open() + "\n" + servers.closed() + "\n");
        Path tokenFile = dir.resolve("token");
        RunningServe serve = serve(List.of("--listen=127.0.0.1:0", "--fleet", file.toString(), "--token-file=" + tokenFile,
                "--max-batch", "100", "--max-fleet=1000", "--max-probes-per-minute", "2000", "--max-connections", "1024",
                "--request-deadline-ms", "10000", "--write-deadline-ms", "10000", "--idle-timeout-s", "30"));
        String banner = serve.banner();
        assertTrue(banner.contains("fleet of 2 from"), banner + cli.err());
        String token = Files.readString(tokenFile).strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/)\\?token=(\\S+)").matcher(banner);
        assertTrue(m.find(), banner);
        assertEquals(token, m.group(2));
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1))).header("Authorization", "Bearer " + token)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rttpick_pin\",\"params\":[\"" + servers.open() + "\"]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(JSON.readTree(r.body()).get("result").get("pinned").asBoolean(), r.body());
        serve.stop();
        assertFalse(Files.exists(tokenFile), "the token file goes when serve stops");
    }

    /** A hostile local client resetting its connections mid-request must not fill the user's terminal with stack traces. */
    @Test
    void clientsResettingTheirConnectionsPrintNothing() throws Exception {
        RunningServe serve = serve(List.of("--listen", "127.0.0.1:0"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(serve.banner());
        assertTrue(m.find(), serve.banner());
        int port = Integer.parseInt(m.group(1));
        PrintStream saved = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 5; i++) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    s.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"js").getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(100);
                    s.setSoLinger(true, 0); // closed with RST, mid-request
                }
            }
            Thread.sleep(500);
        } finally {
            System.setErr(saved);
            serve.stop();
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("onErrorDropped") || text.contains("Connection reset"), text);
    }

    @Test
    void serveHelpPrintsItsOptionsAndStartsNothing() {
        for (String ask : new String[] {"--help", "-h"}) {
            cli.reset();
            assertEquals(0, cli.run("serve", ask), cli.err());
            org.junit.jupiter.api.Assertions.assertTrue(cli.out().startsWith("usage: rttpick serve"), cli.out());
            org.junit.jupiter.api.Assertions.assertTrue(cli.out().contains("--listen"), cli.out());
            org.junit.jupiter.api.Assertions.assertFalse(cli.out().contains("listening"), "nothing started: " + cli.out());
        }
    }
}
