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
        assertEquals(2, cli.run("serve", "--remember", dir.resolve("r.json").toString()));
        assertTrue(cli.err().contains("--remember needs --fleet FILE"), cli.err());
        assertEquals(2, cli.run("serve", "--remember", dir.resolve("no/such/dir/r.json").toString()));
        assertTrue(cli.err().contains("its directory does not exist"), cli.err());
        assertEquals(2, cli.run("serve", "--remember", dir.toString()));
        assertTrue(cli.err().contains("is a directory"), cli.err());
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
        }
        // the resets did reach serve (and its quiet hook): it counted them; only then is silence a pass
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        serve.stop();
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("(?m)^rttpick_client_resets_total (\\S+)").matcher(metrics);
        assertTrue(count.find() && Double.parseDouble(count.group(1)) >= 1, "no reset reached serve: " + metrics);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("onErrorDropped") || text.contains("Connection reset"), text);
    }

    @Test
    void aPortInUseIsSaidWithTheAddressAndExitCodeThree() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertEquals(ServeCommand.EXIT_CANNOT_LISTEN, cli.run("serve", "--listen", "127.0.0.1:" + taken.getLocalPort()));
            assertTrue(cli.err().contains("rttpick serve: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use"), cli.err());
            assertFalse(cli.err().contains("ChannelBindException"), cli.err());
        }
    }

    @Test
    void listeningOnTheIpv4WildcardIsIpv4OnlyAndEveryPrintedUrlOpens() throws Exception {
        RunningServe serve = serve(List.of("--listen", "0.0.0.0:0", "--metrics-listen", "[::]:0"));
        try {
            String banner = serve.banner();
            java.util.regex.Matcher urls = java.util.regex.Pattern.compile("http://\\S+").matcher(banner);
            int port = -1;
            int seen = 0;
            while (urls.find()) {
                java.net.URI uri = java.net.URI.create(urls.group());
                assertTrue(uri.getHost() != null && uri.getPort() > 0, "not a URL to open: " + urls.group());
                port = port < 0 ? uri.getPort() : port;
                seen++;
            }
            assertEquals(3, seen, banner);
            assertTrue(banner.contains("http://127.0.0.1:" + port + "/"), banner);
            assertTrue(banner.contains("/probe and /metrics also on http://[::1]:"), banner);
            try (java.net.Socket v4 = new java.net.Socket("127.0.0.1", port)) {
                assertTrue(v4.isConnected());
            }
            int p = port;
            org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class, () -> {
                try (java.net.Socket v6 = new java.net.Socket("::1", p)) {
                    v6.isConnected();
                }
            }, "0.0.0.0 is IPv4 only");
        } finally {
            serve.stop();
        }
    }

    /** SIGTERM (as Ctrl-C and a service manager send): the token file goes, serve says so and is gone within seconds. */
    @Test
    void aTerminatedServeRemovesItsTokenFileSaysSoAndEnds(@TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("token");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                "io.rttpick.cli.Main", "serve", "--listen", "127.0.0.1:0", "--token-file", tokenFile.toString())
                .redirectErrorStream(true).start();
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.contains("readable by this user only")) {
                break;
            }
        }
        assertTrue(Files.exists(tokenFile), seen.toString());
        long start = System.nanoTime();
        // SIGTERM by kill(1): Process.destroy() would close our end of its output before we read it
        new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).inheritIO().start().waitFor();
        boolean ended = p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        StringBuilder after = new StringBuilder();
        for (String line; ended && (line = lines.readLine()) != null; ) {
            after.append(line).append('\n');
        }
        String rest = after.toString();
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended && tookMs < 5_000, "still running " + tookMs + " ms after SIGTERM: " + seen + rest);
        assertTrue(rest.contains("rttpick serve: stopped; the token file is removed"), rest);
        assertFalse(Files.exists(tokenFile), "the token file stayed behind");
        System.out.printf("serve ended %d ms after SIGTERM%n", tookMs);
    }

    /** A network named 0.3 s before SIGTERM is in the rankings file: the last save is made within the stop, not lost. */
    @Test
    void aNetworkNamedJustBeforeSigtermIsSavedAndServeStillEndsAtOnce(@TempDir Path dir) throws Exception {
        List<java.net.ServerSocket> listeners = new java.util.ArrayList<>();
        StringBuilder fleet = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            java.net.ServerSocket l = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            listeners.add(l);
            fleet.append("127.0.0.1:").append(l.getLocalPort()).append('\n');
        }
        Path fleetFile = Files.writeString(dir.resolve("fleet.txt"), fleet);
        Path rankings = dir.resolve("rankings.json");
        Path tokenFile = dir.resolve("token");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                "io.rttpick.cli.Main", "serve", "--listen", "127.0.0.1:0", "--fleet", fleetFile.toString(),
                "--remember", rankings.toString(), "--token-file", tokenFile.toString())
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8));
            String url = null;
            StringBuilder seen = new StringBuilder();
            for (String line; (line = lines.readLine()) != null; ) {
                seen.append(line).append('\n');
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
                if (line.contains("readable by this user only")) {
                    break;
                }
            }
            assertTrue(url != null, seen.toString());
            java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + Files.readString(tokenFile).trim())
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rttpick_networkChanged\",\"params\":[\"home wifi\"]}"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(answer.body().contains("\"result\""), answer.body());
            Thread.sleep(300); // the probe done and remembered; the coalesced save is still 2 s away
            long start = System.nanoTime();
            new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).inheritIO().start().waitFor();
            boolean ended = p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("serve --remember ended %d ms after SIGTERM, the last save made%n", tookMs);
            assertTrue(ended && tookMs < 2_000, "still running " + tookMs + " ms after SIGTERM");
            String derived = io.rttpick.selector.NetworkId.derive(io.rttpick.selector.store.InstallSecret.at(
                    io.rttpick.serve.RttpickService.networkSecretFile(rankings)), "home wifi").value();
            assertTrue(io.rttpick.selector.store.FileRankingStore.at(rankings).load().networks().containsKey(derived),
                    "the network named before SIGTERM is not in " + rankings);
            assertFalse(Files.exists(dir.resolve("rankings.json.tmp")), "a temporary file was left");
        } finally {
            p.destroyForcibly();
            for (java.net.ServerSocket l : listeners) {
                l.close();
            }
        }
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
