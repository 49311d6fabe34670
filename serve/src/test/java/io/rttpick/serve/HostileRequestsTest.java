package io.rttpick.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code serve} against requests meant to steer or sink it: unbounded fleet changes, probes past
 * the caps through any mix of methods, state changes without the token, a heap exhausted, and
 * every request shape status clients have sent.
 */
class HostileRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoopbackFleet servers = new LoopbackFleet();
    private final CountingProber prober = new CountingProber();
    private RttpickService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
        servers.close();
    }

    private int start(ServeSettings settings) throws Exception {
        service = RttpickService.start(settings.listen(new InetSocketAddress("127.0.0.1", 0)), prober);
        return service.port();
    }

    private static String call(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    private JsonNode rpc(String method, String params) throws Exception {
        return JSON.readTree(RawHttp.post(service.port(), call(method, params), service.token()).body);
    }

    private JsonNode rpcWithoutToken(String method, String params) throws Exception {
        return JSON.readTree(RawHttp.post(service.port(), call(method, params)).body);
    }

    private static ServeSettings fleetOf(int n) {
        ServeSettings s = new ServeSettings().fleetMinProbeInterval(Duration.ZERO)
                .fleetProbeOptions(ProbeOptions.builder().timeout(Duration.ofMillis(300)).build());
        for (int i = 0; i < n; i++) {
            s.server("127.9.0." + (i + 1) + ":993", "s" + i); // the counting prober answers; nothing is sent
        }
        return s;
    }

    @Test
    void theChangingMethodsNeedTheTokenFromTheFileOnlyTheUserCanRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("serve.token");
        start(fleetOf(2).tokenFile(file));
        assertEquals(service.token(), Files.readString(file).strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(service.pageUrl().endsWith("/?token=" + service.token()));
        // every method the table does not declare READ, whatever its name: closed by default
        int changing = 0;
        for (JsonRpcEndpoint.Method m : service.methods()) {
            String params = m.min() == 0 ? "[]" : m.min() == 1 ? "[\"127.9.0.1:993\"]" : "[\"127.9.0.1:993\", 5]";
            JsonNode refused = rpcWithoutToken(m.name(), params);
            if (m.access() == JsonRpcEndpoint.Access.READ) {
                assertFalse(refused.has("error") && refused.get("error").get("code").asInt() == -32001, m.name() + ": " + refused);
                continue;
            }
            changing++;
            assertEquals(-32001, refused.get("error").get("code").asInt(), m.name());
            assertTrue(refused.get("error").get("message").asText().contains("Authorization: Bearer <token>"), refused.toString());
            JsonNode wrong = JSON.readTree(RawHttp.post(service.port(), call(m.name(), params), service.token() + "x").body);
            assertEquals(-32001, wrong.get("error").get("code").asInt(), m.name());
        }
        assertEquals(7, changing, "pin, unpin, addServer, removeServer, reportFailure, networkChanged, observe");
        assertEquals(2, rpc("rttpick_select", "[]").get("result").get("ranking").size(), "nothing changed without the token");
        assertFalse(rpcWithoutToken("rttpick_select", "[]").has("error"), "reading needs no token");
        assertFalse(rpcWithoutToken("mailservers_ping", "[{\"addresses\":[\"127.9.0.1:993\"]}]").has("error"),
                "existing clients send no token");
        assertEquals("127.9.0.1:993", rpc("rttpick_pin", "[\"127.9.0.1:993\"]").get("result").get("chosen").asText());
        service.close();
        service = null;
        assertFalse(Files.exists(file), "the token file goes with the service");
    }

    @Test
    void withoutAFleetTheChangingMethodsStillNeedTheTokenFirstThenSayThereIsNoFleet() throws Exception {
        start(new ServeSettings());
        int changing = 0;
        for (JsonRpcEndpoint.Method m : service.methods()) {
            String params = m.min() == 0 ? "[]" : m.min() == 1 ? "[\"127.9.0.1:993\"]" : "[\"127.9.0.1:993\", 5]";
            if (m.access() == JsonRpcEndpoint.Access.READ) {
                continue;
            }
            changing++;
            JsonNode refused = rpcWithoutToken(m.name(), params);
            assertTrue(refused.get("error").get("message").asText().contains("Authorization: Bearer <token>"), refused.toString());
            JsonNode noFleet = rpc(m.name(), params);
            assertEquals(m.name() + ": no fleet is configured (start serve with --fleet FILE)",
                    noFleet.get("error").get("message").asText());
        }
        assertEquals(7, changing);
        assertTrue(rpcWithoutToken("rttpick_select", "[]").get("error").get("message").asText().contains("no fleet is configured"));
    }

    @Test
    void aBadPercentEscapeIsTheClientsMistakeA400ThatDoesNotEchoIt() throws Exception {
        int port = start(new ServeSettings());
        for (String path : List.of("/%", "/a%zz", "/probe?target=%G0", "/%3Cscript%3E%")) {
            RawHttp r = RawHttp.send(port, "GET", path, "127.0.0.1:" + port, null, null);
            assertEquals(400, r.status, path + ": " + r.body);
            assertTrue(r.body.startsWith("bad request: the path or query is not valid percent-encoding"), r.body);
            assertFalse(r.body.contains("<") || r.body.contains(path), "echoed: " + r.body);
        }
        assertEquals(200, RawHttp.send(port, "GET", "/", "127.0.0.1:" + port, null, null).status, "still serving");
    }

    @Test
    void theFleetIsBoundedAndABatchOfTwoThousandFiveHundredAddsIsRefusedWhole() throws Exception {
        start(fleetOf(3).maxFleet(10));
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 2_500; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i)
                    .append(",\"method\":\"rttpick_addServer\",\"params\":[\"127.8.").append(i / 250).append('.').append(i % 250)
                    .append(":993\"]}");
        }
        RawHttp whole = RawHttp.post(service.port(), batch.append(']').toString(), service.token());
        JsonNode refused = JSON.readTree(whole.body);
        assertEquals(-32600, refused.get("error").get("code").asInt());
        assertTrue(refused.get("error").get("message").asText().contains("a batch of 2500 calls; the cap is 100"), refused.toString());
        assertEquals(3, rpc("rttpick_select", "[]").get("result").get("ranking").size(), "nothing added");

        for (int i = 0; i < 7; i++) {
            assertEquals("added", rpc("rttpick_addServer", "[\"127.7.0." + (i + 1) + ":993\"]").get("result").get("change")
                    .get("action").asText());
        }
        JsonNode full = rpc("rttpick_addServer", "[\"127.7.0.99:993\"]");
        assertEquals(-32602, full.get("error").get("code").asInt());
        assertTrue(full.get("error").get("message").asText().contains("cap of 10 servers"), full.toString());
        assertTrue(full.get("error").get("message").asText().contains("--max-fleet"), full.toString());
        JsonNode pinned = rpc("rttpick_pin", "[\"127.7.0.98:993\"]");
        assertEquals(-32602, pinned.get("error").get("code").asInt(), "a pin cannot grow the fleet past its cap either");
        assertEquals(10, rpc("rttpick_select", "[]").get("result").get("ranking").size());
        assertEquals("already-present", rpc("rttpick_addServer", "[\"127.7.0.1:993\"]").get("result").get("change")
                .get("action").asText());
    }

    @Test
    void oneProbeBudgetHoldsThroughAnyMixOfMethods() throws Exception {
        start(fleetOf(10).maxProbesPerMinute(40));
        List<String> outcomes = new ArrayList<>();
        // refresh: 10; a ping of 8: 18; a batch of two pings of 8: 34; then nothing fits that needs 10 or 8
        outcomes.add(rpc("rttpick_refresh", "[]").get("result").get("reason").asText());
        String eight = "[{\"addresses\":[" + String.join(",", Collections.nCopies(8, "\"127.6.0.1:993\"")) + "]}]";
        outcomes.add(rpc("mailservers_ping", eight).has("result") ? "pinged" : "refused");
        JsonNode both = JSON.readTree(RawHttp.post(service.port(), "[" + call("mailservers_ping", eight) + ","
                + call("rttpick_ping", eight) + "]", service.token()).body);
        outcomes.add(both.get(0).has("result") + "/" + both.get(1).has("result"));
        System.out.println("batch: " + both);
        rpc("rttpick_addServer", "[\"127.7.0.1:993\", \"added\"]"); // the fleet is 11 now: a refresh needs 11
        JsonNode reused = rpc("rttpick_refresh", "[]").get("result");
        outcomes.add(reused.get("reason").asText());
        assertTrue(reused.get("note").asText().contains("probe budget"), reused.toString());
        JsonNode refused = rpc("mailservers_ping", eight);
        assertEquals(-32000, refused.get("error").get("code").asInt());
        assertTrue(refused.get("error").get("message").asText().contains("--max-probes-per-minute"), refused.toString());
        rpc("rttpick_unpin", "[]");
        rpc("rttpick_openServerList", "[]");
        rpc("rttpick_pin", "[\"127.9.0.1:993\"]");
        rpc("rttpick_unpin", "[]");
        JsonNode small = rpc("mailservers_ping", "[{\"addresses\":[\"127.6.0.1:993\",\"127.6.0.2:993\"]}]");
        System.out.printf("budget 40 a minute: %s; attempts sent %d%n", outcomes, prober.attempts.get());
        assertEquals(List.of("PROBED", "pinged", "true/true", "REUSED"), outcomes);
        assertTrue(small.has("result"), "what still fits goes out: " + small);
        assertEquals(36, prober.attempts.get());
        assertTrue(prober.attempts.get() <= 40);
    }

    @Test
    void withFleetOnlyTheFleetIsTheOneGivenAtStart() throws Exception {
        start(fleetOf(2).fleetOnly(true));
        JsonNode add = rpc("rttpick_addServer", "[\"127.7.0.1:993\"]");
        assertEquals(-32001, add.get("error").get("code").asInt());
        assertTrue(add.get("error").get("message").asText().contains("--fleet-only"), add.toString());
        JsonNode pin = rpc("rttpick_pin", "[\"127.7.0.1:993\"]");
        assertEquals(-32602, pin.get("error").get("code").asInt());
        assertEquals(-32001, rpc("rttpick_removeServer", "[\"127.9.0.1:993\"]").get("error").get("code").asInt());
        rpc("rttpick_refresh", "[]");
        JsonNode ping = rpc("mailservers_ping", "[{\"addresses\":[\"127.9.0.1:993\",\"127.7.0.1:993\"]}]").get("result");
        assertTrue(ping.get(0).get("error").isNull());
        assertTrue(ping.get(1).get("error").asText().contains("not in the fleet"), ping.toString());
        assertEquals(List.of("127.9.0.1:993", "127.9.0.2:993"), prober.probed.stream().distinct().sorted().toList(),
                "nothing outside the fleet given at start was probed");
        assertEquals("127.9.0.2:993", rpc("rttpick_pin", "[\"127.9.0.2:993\"]").get("result").get("chosen").asText());
    }

    @Test
    void everyRequestShapeStatusClientsSent() throws Exception {
        start(new ServeSettings());
        String key = "a".repeat(128);
        List<String> addresses = List.of("127.0.0.1:30303", "enode://" + key + "@127.0.0.1:30303?discport=0",
                "/ip4/127.0.0.1/tcp/30303/p2p/16Uiu2HAmNFh6pPaLEhtsWMc9ZtD2Mmnz8mMHJd5qYEiTcHbCbGk8", " 127.0.0.1:30303",
                "127.0.0.1", "127.0.0.1:0");
        String list = JSON.writeValueAsString(addresses);
        for (String method : List.of("mailservers_ping", "mailservers_multiAddressPing")) {
            JsonNode r = rpc(method, "[{\"addresses\":" + list + ",\"timeoutMs\":500}]");
            JsonNode result = r.get("result");
            assertEquals(addresses.size(), result.size(), r.toString());
            for (int i = 0; i < addresses.size(); i++) {
                JsonNode e = result.get(i);
                assertEquals(addresses.get(i), e.get("address").asText(), "the address exactly as sent");
                assertEquals(List.of("address", "rttMs", "latency", "error"), iterate(e), "the fields, error always present");
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(1, result.get(i).get("rttMs").asLong(), "1,999 us is 1 ms: truncated");
                assertEquals(1, result.get(i).get("latency").asLong());
                assertTrue(result.get(i).get("error").isNull(), result.get(i).toString());
            }
            for (int i = 4; i < 6; i++) {
                assertTrue(result.get(i).get("rttMs").isNull());
                assertEquals(-1, result.get(i).get("latency").asInt());
                assertTrue(result.get(i).get("error").asText().startsWith("address " + addresses.get(i) + ": "), result.toString());
            }
        }
    }

    private static List<String> iterate(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void thePageIsNeverFramedAndNoCrossOriginReaderIsGranted() throws Exception {
        int port = start(new ServeSettings());
        RawHttp page = RawHttp.send(port, "GET", "/", "127.0.0.1:" + port, "http://127.0.0.1:" + port, null);
        assertEquals(200, page.status);
        assertEquals("DENY", page.headers.get("x-frame-options"));
        assertEquals("frame-ancestors 'none'", page.headers.get("content-security-policy"));
        assertEquals("nosniff", page.headers.get("x-content-type-options"));
        assertTrue(page.headers.keySet().stream().noneMatch(h -> h.startsWith("access-control-")), page.headers.toString());
        RawHttp head = RawHttp.send(port, "HEAD", "/", "127.0.0.1:" + port, null, null);
        assertEquals(200, head.status);
        assertEquals("", head.body);
        assertEquals(page.headers.get("content-length"), head.headers.get("content-length"));
        RawHttp put = RawHttp.send(port, "PUT", "/", "127.0.0.1:" + port, null, "{}");
        assertEquals(405, put.status);
        assertEquals("GET, HEAD, POST", put.headers.get("allow"));
        assertEquals("GET, HEAD", RawHttp.send(port, "POST", "/metrics", "127.0.0.1:" + port, null, "{}").headers.get("allow"));
        RawHttp framed = RawHttp.send(port, "GET", "/", "127.0.0.1:" + port, "https://evil.example", null);
        assertEquals(403, framed.status);
    }

    @Test
    void bodiesOverTheCapAre413WithOrWithoutALengthAndChunked() throws Exception {
        int port = start(new ServeSettings().maxBodyBytes(1_000));
        String big = "[" + "1,".repeat(1_000) + "1]";
        assertEquals(413, RawHttp.post(port, big).status, "with a length");
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        StringBuilder chunked = new StringBuilder("POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (int i = 0; i < 5; i++) {
            chunked.append(Integer.toHexString(400)).append("\r\n").append("x".repeat(400)).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        assertEquals(413, RawHttp.raw(port, chunked.toString()).status, "chunked");
        RawHttp lying = RawHttp.raw(port, "POST / HTTP/1.1\r\n" + host + "Content-Length: 99999999999\r\nConnection: close\r\n\r\n");
        assertEquals(413, lying.status, "a length over the cap is refused before any of the body comes");
        StringBuilder small = new StringBuilder("POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        String body = call("rttpick_ping", "[{\"addresses\":[\"a\"]}]");
        small.append(Integer.toHexString(body.length())).append("\r\n").append(body).append("\r\n0\r\n\r\n");
        assertEquals(200, RawHttp.raw(port, small.toString()).status, "a chunked body under the cap is read");
    }

    @Test
    void aRealHeapExhaustionInAHandlerIsAnsweredAndTheServiceKeepsAnswering() throws Exception {
        String open = servers.open();
        try (ServeProcess child = ServeProcess.start(null, List.of("-Xmx48m", "-XX:+UseSerialGC"), "--exhaustible")) {
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                JsonNode oom = JSON.readTree(RawHttp.post(child.port, call("test_exhaustHeap", "[]")).body);
                System.out.printf("heap exhausted in a handler (-Xmx48m), round %d: %s after %d ms%n", round + 1, oom,
                        (System.nanoTime() - start) / 1_000_000);
                assertEquals(-32603, oom.get("error").get("code").asInt(), oom.toString());
                assertEquals("internal error: OutOfMemoryError", oom.get("error").get("message").asText());
                JsonNode ping = JSON.readTree(RawHttp.post(child.port, call("mailservers_ping",
                        "[{\"addresses\":[\"" + open + "\"]}]")).body);
                assertTrue(ping.get("result").get(0).get("error").isNull(), "still answering: " + ping);
            }
            assertTrue(child.alive());
            String log = child.log();
            assertEquals(3, log.split("OutOfMemoryError", -1).length - 1, "logged once each time:\n" + log);
        }
    }

    @Test
    void twoThousandFiveHundredAddsInBatchesLeaveTheHeapSmall() throws Exception {
        try (ServeProcess child = ServeProcess.start(null, List.of("-Xmx64m"), "--fleet", "127.9.0.1:993")) {
            int added = 0;
            int refused = 0;
            String lastRefusal = null;
            for (int b = 0; b < 25; b++) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < 100; i++) {
                    int n = b * 100 + i;
                    batch.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(n)
                            .append(",\"method\":\"rttpick_addServer\",\"params\":[\"127.8.").append(n / 250).append('.')
                            .append(n % 250).append(":993\", \"").append("n".repeat(40)).append("\"]}");
                }
                JsonNode answers = JSON.readTree(RawHttp.post(child.port, batch.append(']').toString(), child.token).body);
                for (JsonNode a : answers) {
                    if (a.has("result")) {
                        added++;
                        assertFalse(a.get("result").has("ranking"), "an add answers without the whole fleet");
                    } else {
                        refused++;
                        lastRefusal = a.get("error").get("message").asText();
                        if (!lastRefusal.contains("--max-fleet")) {
                            System.out.println("refused otherwise: " + a);
                        }
                    }
                }
            }
            RawHttp.post(child.port, call("mailservers_ping", "[{\"addresses\":[\"127.0.0.1:1\"]}]")); // a GC's worth of work
            String metrics = RawHttp.send(child.port, "GET", "/metrics", "127.0.0.1:" + child.port, null, null).body;
            double heap = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            System.out.printf("2,500 rttpick_addServer in 25 batches of 100 (-Xmx64m, --max-fleet 1000): %d added, %d refused"
                    + " (\"%s\"); heap used after: %.1f MB%n", added, refused, lastRefusal, heap / 1e6);
            assertEquals(999, added);
            assertEquals(1_501, refused);
            assertTrue(lastRefusal.contains("--max-fleet"), lastRefusal);
            assertTrue(heap < 48e6, "heap " + heap);
            assertTrue(child.alive());
        }
    }

    /** Answers every address at once with 1,999 us and counts what it was asked to probe. */
    private static final class CountingProber implements Prober {
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> probed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
            return Flux.defer(() -> {
                attempts.addAndGet(addresses.size() * options.samplesPerEndpoint());
                List<ProbeEvent> events = new ArrayList<>();
                for (int i = 0; i < addresses.size(); i++) {
                    String a = addresses.get(i);
                    probed.add(a);
                    for (int k = 0; k < options.samplesPerEndpoint(); k++) {
                        RttSample.Builder b = RttSample.builder(i, a).attempt(k).startedAt(Instant.now()).prober(name());
                        try {
                            io.rttpick.prober.Endpoint.parse(a);
                            if (a.endsWith(":0")) {
                                throw new io.rttpick.prober.InvalidEndpointException(a, "invalid port");
                            }
                            b.ok(1_999, Timing.KERNEL, Handshake.HALF_OPEN);
                        } catch (io.rttpick.prober.InvalidEndpointException e) {
                            b.failed(io.rttpick.prober.Outcome.INVALID, e.getMessage());
                        }
                        events.add(new ProbeEvent.Completed(b.build()));
                    }
                }
                return Flux.fromIterable(events);
            });
        }

        @Override
        public void close() {
        }
    }

    static {
        // keep the unused-import checker quiet about Map and Mono in older javac
        assertNull(null, Map.of().toString() + Mono.empty());
    }
}
