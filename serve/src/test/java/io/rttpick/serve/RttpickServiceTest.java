package io.rttpick.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.prober.ProbeOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code serve} over real HTTP on loopback, probing loopback servers with the prober in use here. */
class RttpickServiceTest extends ServeTestCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private JsonNode rpc(int port, String method, String params) throws Exception {
        RawHttp r = RawHttp.post(port, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":" + params + "}",
                service.token());
        assertEquals(200, r.status, r.body);
        assertEquals("application/json", r.headers.get("content-type"));
        return JSON.readTree(r.body);
    }

    @Test
    void mailserversPingAnswersEveryAddressInInputOrderWithDuplicatesAndBothFieldNames() throws Exception {
        int port = start(new ServeSettings());
        String open = servers.open();
        String closed = servers.closed();
        String silent = servers.silent();
        JsonNode r = rpc(port, "mailservers_ping", "[{\"addresses\": [\"" + open + "\", \"1.1.1.1:313121\", \"" + closed + "\", \""
                + open + "\", \"" + silent + "\"], \"timeoutMs\": 300}]");
        JsonNode result = r.get("result");
        assertEquals(5, result.size(), r.toString());
        List<String> order = new ArrayList<>();
        result.forEach(n -> order.add(n.get("address").asText()));
        assertEquals(List.of(open, "1.1.1.1:313121", closed, open, silent), order);
        for (int i : new int[] {0, 3}) {
            JsonNode ok = result.get(i);
            assertTrue(ok.get("rttMs").isIntegralNumber(), ok.toString());
            assertEquals(ok.get("rttMs").asLong(), ok.get("latency").asLong(), "0 is a valid value, never null");
            assertTrue(ok.get("error").isNull());
        }
        JsonNode bad = result.get(1);
        assertTrue(bad.get("rttMs").isNull());
        assertEquals(-1, bad.get("latency").asInt());
        assertEquals("address 1.1.1.1:313121: invalid port", bad.get("error").asText());
        assertEquals(-1, result.get(2).get("latency").asInt());
        assertFalse(result.get(2).get("error").isNull());
        assertEquals("tcp check timeout: I/O timeout", result.get(4).get("error").asText());
        assertEquals(0, servers.accepted(), "the service's probes must not reach the servers' applications");
    }

    @Test
    void rttpickPingCarriesThePingJsonFields() throws Exception {
        int port = start(new ServeSettings());
        String open = servers.open();
        JsonNode result = rpc(port, "rttpick_ping", "[{\"addresses\": [\"" + open + "\", \"nope\"]}]").get("result");
        assertEquals(2, result.size());
        for (String field : List.of("address", "resolved", "outcome", "rttMicros", "timing", "handshake", "error")) {
            assertTrue(result.get(0).has(field), field + " missing in " + result.get(0));
        }
        assertEquals("OK", result.get(0).get("outcome").asText());
        assertEquals("INVALID", result.get(1).get("outcome").asText());
        assertEquals("address nope: missing port", result.get(1).get("error").asText());
    }

    @Test
    void wrongParamsAreNamedAndOverTheCapNothingIsProbed() throws Exception {
        int port = start(new ServeSettings().maxAddressesPerCall(3));
        String open = servers.open();
        JsonNode overCap = rpc(port, "mailservers_ping", "[{\"addresses\": [\"" + String.join("\",\"", Collections.nCopies(4, open))
                + "\"], \"timeoutMs\": 500}]");
        assertEquals(-32602, overCap.get("error").get("code").asInt());
        assertTrue(overCap.get("error").get("message").asText().contains("the cap is 3"), overCap.toString());
        assertEquals(0, watched.calls.get(), "no probe sent over the cap");
        assertTrue(rpc(port, "mailservers_ping", "[{\"addresses\": [\"a:1\"], \"timeoutMs\": -3}]").get("error")
                .get("message").asText().contains("\"timeoutMs\" must be a whole number of milliseconds from 1 to 60000, got -3"));
        assertEquals(-32602, rpc(port, "mailservers_ping", "[]").get("error").get("code").asInt());
        assertEquals(-32602, rpc(port, "mailservers_ping", "{\"addresses\": []}").get("error").get("code").asInt());
        assertEquals(0, watched.calls.get());
    }

    @Test
    void anEntryThatIsNotAStringIsOneFailedResultAndTheOthersAreProbed() throws Exception {
        int port = start(new ServeSettings());
        String open = servers.open();
        JsonNode r = rpc(port, "mailservers_ping", "[{\"addresses\": [5, \"" + open + "\", null, {\"host\": \"x\"}, true],"
                + " \"timeoutMs\": 500}]");
        JsonNode result = r.get("result");
        assertEquals(5, result.size(), r.toString());
        assertTrue(result.get(1).get("error").isNull(), r.toString());
        assertTrue(result.get(1).get("rttMs").isIntegralNumber(), r.toString());
        String[] sent = {"5", null, "null", "{\"host\":\"x\"}", "true"};
        for (int i : new int[] {0, 2, 3, 4}) {
            JsonNode bad = result.get(i);
            assertEquals(sent[i], bad.get("address").asText(), "the entry as JSON text, still a string: " + bad);
            assertTrue(bad.get("rttMs").isNull());
            assertEquals(-1, bad.get("latency").asInt());
            assertEquals("addresses[" + i + "] must be a \"host:port\" string, got " + sent[i], bad.get("error").asText());
        }
        assertEquals(1, watched.calls.get(), "one probe call, for the one address");

        JsonNode typed = rpc(port, "rttpick_ping", "[{\"addresses\": [[1]]}]").get("result").get(0);
        assertEquals("INVALID", typed.get("outcome").asText(), typed.toString());
        assertEquals("addresses[0] must be a \"host:port\" string, got [1]", typed.get("error").asText());
    }

    @Test
    void callsPerMinuteAreCapped() throws Exception {
        int port = start(new ServeSettings().maxCallsPerMinute(2));
        String call = "[{\"addresses\": [\"" + servers.open() + "\"]}]";
        assertTrue(rpc(port, "mailservers_ping", call).has("result"));
        assertTrue(rpc(port, "mailservers_ping", call).has("result"));
        JsonNode third = rpc(port, "mailservers_ping", call);
        assertEquals(-32000, third.get("error").get("code").asInt());
        assertTrue(third.get("error").get("message").asText().contains("more than 2 calls in a minute"), third.toString());
    }

    @Test
    void badInputNeverTakesTheServerDown() throws Exception {
        int port = start(new ServeSettings().maxBodyBytes(1_000));
        RawHttp parse = RawHttp.post(port, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ");
        assertEquals(-32700, JSON.readTree(parse.body).get("error").get("code").asInt());
        RawHttp big = RawHttp.post(port, "[" + "1,".repeat(1_000) + "1]");
        assertEquals(413, big.status);
        assertEquals(-32601, rpc(port, "nope", "[]").get("error").get("code").asInt());
        RawHttp notification = RawHttp.post(port, "{\"jsonrpc\":\"2.0\",\"method\":\"rttpick_select\",\"params\":[]}");
        assertEquals(204, notification.status);
        assertTrue(rpc(port, "mailservers_ping", "[{\"addresses\": [\"" + servers.open() + "\"]}]").has("result"), "still serving");
    }

    @Test
    void otherHostsAndOriginsAreForbidden() throws Exception {
        int port = start(new ServeSettings());
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"mailservers_ping\",\"params\":[{\"addresses\":[\"127.0.0.1:1\"]}]}";
        assertEquals(403, RawHttp.send(port, "POST", "/", "rebind.attacker.example:" + port, null, body).status);
        assertEquals(403, RawHttp.send(port, "POST", "/", "127.0.0.1:" + port, "http://attacker.example", body).status);
        assertEquals(403, RawHttp.send(port, "GET", "/", "evil.example:" + port, null, null).status);
        assertEquals(0, watched.calls.get(), "nothing probed for a forbidden request");
        assertEquals(200, RawHttp.send(port, "POST", "/", "localhost:" + port, "http://localhost:" + port, body).status);
        assertEquals(404, RawHttp.send(port, "GET", "/nothing", "127.0.0.1:" + port, null, null).status);
        assertEquals(405, RawHttp.send(port, "DELETE", "/", "127.0.0.1:" + port, null, null).status);
    }

    @Test
    void networkChangedNeedsTheTokenAnswersFromMemoryOnAKnownNetworkAndSaysWhereTheChoiceCameFrom(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        String near = servers.open();
        String down = servers.closed();
        java.nio.file.Path file = dir.resolve("rankings.json");
        int port = start(new ServeSettings().server(near, "Near").server(down, "Down").remember(file)
                .fleetMinProbeInterval(java.time.Duration.ZERO) // no rate limit: a refresh would probe, but for passive RTT
                .fleetProbeOptions(ProbeOptions.builder().timeout(java.time.Duration.ofMillis(500)).build()));
        RawHttp refused = RawHttp.post(port, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rttpick_networkChanged\",\"params\":[\"home\"]}");
        assertEquals(-32001, JSON.readTree(refused.body).get("error").get("code").asInt(), refused.body);
        int probes = watched.calls.get();
        JsonNode home = rpc(port, "rttpick_networkChanged", "[\"home\"]").get("result");
        assertEquals("PROBED", home.get("reason").asText(), home.toString());
        assertEquals("PROBE", home.get("source").asText());
        assertEquals("NETWORK_ONLINE", home.get("trigger").asText());
        assertEquals(near, home.get("chosen").asText());
        assertEquals(probes + 1, watched.calls.get(), "the token was checked before anything was probed");
        Thread.sleep(700); // the closed server's answer in: the probe ends, the ranking is remembered
        rpc(port, "rttpick_networkChanged", "[\"office\"]");
        Thread.sleep(700);
        JsonNode again = rpc(port, "rttpick_networkChanged", "[\"home\"]").get("result");
        assertEquals("REMEMBERED", again.get("reason").asText(), again.toString());
        assertEquals("MEMORY", again.get("source").asText());
        assertEquals("CONFIRMING", again.get("probe").asText());
        assertEquals(near, again.get("chosen").asText());
        // the client's own timing of its connection to the server in use: a refresh then sends nothing
        assertTrue(rpc(port, "rttpick_observe", "[\"" + near + "\", 0.4, \"HANDSHAKE\"]").get("result").get("observed").asBoolean());
        assertTrue(rpc(port, "rttpick_observe", "[\"" + near + "\", 0.5]").get("result").get("observed").asBoolean());
        assertFalse(rpc(port, "rttpick_observe", "[\"127.0.0.1:9\", 3]").get("result").get("observed").asBoolean(), "not in the fleet");
        int before = watched.calls.get();
        JsonNode refreshed = rpc(port, "rttpick_refresh", "[]").get("result");
        assertEquals("OBSERVED", refreshed.get("reason").asText(), refreshed.toString());
        assertEquals("PASSIVE", refreshed.get("source").asText());
        assertEquals(before, watched.calls.get(), "no probe");
        for (String bad : List.of("[\"" + near + "\", 0]", "[\"" + near + "\", -3]", "[\"" + near + "\", \"5\"]",
                "[\"" + near + "\", 5, \"PING\"]", "[\"nope\", 5]", "[\"" + near + "\", 1e9]")) {
            JsonNode error = rpc(port, "rttpick_observe", bad).get("error");
            assertEquals(-32602, error.get("code").asInt(), bad + ": " + error);
        }
        JsonNode figures = rpc(port, "rttpick_probeFigures", "[]").get("result");
        // what is reported and stored is the id derived with the install secret beside the file, not the client's text
        byte[] secret = io.rttpick.selector.store.InstallSecret.at(RttpickService.networkSecretFile(file));
        String derived = io.rttpick.selector.NetworkId.derive(secret, "home").value();
        assertEquals(derived, figures.get("network").asText());
        assertTrue(figures.get("synsSent").asLong() >= 4 && figures.get("serversContactedLast24h").asInt() == 2, figures.toString());
        for (String bad : List.of("[\"\"]", "[5]", "[]", "[\"" + "x".repeat(129) + "\"]")) {
            JsonNode error = rpc(port, "rttpick_networkChanged", bad).get("error");
            assertEquals(-32602, error.get("code").asInt(), bad);
            assertTrue(error.get("message").asText().contains("network id") || error.get("message").asText().contains("params"),
                    error.toString());
        }
        stop();
        for (int i = 0; i < 30 && !java.nio.file.Files.exists(file); i++) {
            Thread.sleep(100);
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file)));
        String stored = java.nio.file.Files.readString(file);
        assertTrue(stored.contains("\"" + derived + "\"") && !stored.contains("\"home\"") && !stored.contains("office"),
                "the file keeps derived ids only: " + stored);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(RttpickService.networkSecretFile(file))));
    }

    @Test
    void withoutAFleetTheFleetMethodsSaySo() throws Exception {
        int port = start(new ServeSettings());
        for (String m : List.of("rttpick_select", "rttpick_refresh", "rttpick_openServerList", "rttpick_pin", "rttpick_unpin",
                "rttpick_reportFailure", "rttpick_addServer", "rttpick_removeServer", "rttpick_networkChanged", "rttpick_probeFigures")) {
            JsonNode r = rpc(port, m, m.matches("rttpick_(pin|reportFailure|addServer|removeServer|networkChanged)") ? "[\"127.0.0.1:1\"]"
                    : "[]");
            assertEquals(-32001, r.get("error").get("code").asInt(), m);
            assertTrue(r.get("error").get("message").asText().contains("no fleet is configured"), r.toString());
        }
    }

    @Test
    void theFleetMethodsAnswerWithTheSelection() throws Exception {
        String near = servers.open();
        String down = servers.closed();
        int port = start(new ServeSettings().server(near, "Near").server(down, "Down").fleetMinProbeInterval(java.time.Duration.ZERO)
                .fleetProbeOptions(ProbeOptions.builder().timeout(java.time.Duration.ofMillis(500)).build()));
        JsonNode s = rpc(port, "rttpick_select", "[]").get("result");
        for (String field : List.of("chosen", "bucket", "decidedAfterMicros", "ranking", "pinned", "ageMs")) {
            assertTrue(s.has(field), field + " missing in " + s);
        }
        assertEquals(near, s.get("chosen").asText());
        assertEquals("FAST", s.get("bucket").asText());
        assertFalse(s.get("pinned").asBoolean());
        assertTrue(s.get("ageMs").isIntegralNumber());
        assertEquals("Near", s.get("ranking").get(0).get("name").asText());
        assertEquals("NONE", s.get("ranking").get(1).get("bucket").asText());

        JsonNode pinned = rpc(port, "rttpick_pin", "[\"" + down + "\"]").get("result");
        assertEquals(down, pinned.get("chosen").asText());
        assertTrue(pinned.get("pinned").asBoolean());
        int probes = watched.calls.get();
        assertEquals(down, rpc(port, "rttpick_refresh", "[]").get("result").get("chosen").asText());
        assertEquals(probes, watched.calls.get(), "pinned: no probe");
        assertEquals(near, rpc(port, "rttpick_unpin", "[]").get("result").get("chosen").asText());

        String extra = servers.open();
        JsonNode added = rpc(port, "rttpick_addServer", "[\"" + extra + "\", \"Extra\"]").get("result");
        assertFalse(added.has("ranking"), "an add answers without the fleet: " + added);
        assertEquals("added", added.get("change").get("action").asText());
        assertEquals(extra, added.get("change").get("address").asText());
        assertEquals("Extra", added.get("change").get("name").asText());
        assertEquals(3, added.get("change").get("fleetSize").asInt());
        assertEquals(near, added.get("chosen").asText());
        JsonNode listed = rpc(port, "rttpick_select", "[]").get("result"); // the fleet stays in rttpick_select
        assertEquals(3, listed.get("ranking").size());
        assertEquals("not probed yet", listed.get("ranking").get(2).get("error").asText());
        assertEquals("Extra", listed.get("ranking").get(2).get("name").asText());
        rpc(port, "rttpick_refresh", "[]"); // an added server is measured by the next probe
        JsonNode failed = rpc(port, "rttpick_reportFailure", "[\"" + near + "\"]").get("result");
        assertEquals("FAILOVER", failed.get("reason").asText());
        assertEquals(extra, failed.get("chosen").asText());
        JsonNode removed = rpc(port, "rttpick_removeServer", "[\"" + down + "\"]").get("result");
        assertEquals("removed", removed.get("change").get("action").asText());
        assertEquals(2, removed.get("change").get("fleetSize").asInt());
        assertEquals(2, rpc(port, "rttpick_select", "[]").get("result").get("ranking").size());

        assertEquals("rttpick_addServer: params[0] (address) must be a string, got 5",
                rpc(port, "rttpick_addServer", "[5]").get("error").get("message").asText());
        assertEquals("address x:99999: invalid port", rpc(port, "rttpick_addServer", "[\"x:99999\"]").get("error").get("message").asText());
        assertTrue(rpc(port, "rttpick_removeServer", "[\"nope.example:1\"]").get("error").get("message").asText()
                .contains("is not in the fleet"));
        assertEquals(-32602, rpc(port, "rttpick_select", "[1]").get("error").get("code").asInt());
    }

    @Test
    void fleetOnlyProbesNothingOutsideTheFleet() throws Exception {
        String near = servers.open();
        String other = servers.open();
        int port = start(new ServeSettings().server(near, "Near").fleetOnly(true));
        JsonNode result = rpc(port, "mailservers_ping", "[{\"addresses\": [\"" + near + "\", \"" + other + "\"]}]").get("result");
        assertTrue(result.get(0).get("error").isNull(), result.toString());
        assertTrue(result.get(1).get("error").asText().contains("not in the fleet"), result.toString());
        assertEquals(-1, result.get(1).get("latency").asInt());
    }

    @Test
    void pageAndMetricsAreServed() throws Exception {
        int port = start(new ServeSettings());
        RawHttp page = RawHttp.send(port, "GET", "/", "127.0.0.1:" + port, null, null);
        assertEquals(200, page.status);
        assertTrue(page.headers.get("content-type").startsWith("text/html"));
        assertTrue(page.body.contains("Recommended") && page.body.contains("Other servers"));
        rpc(port, "mailservers_ping", "[{\"addresses\": [\"" + servers.open() + "\", \"" + servers.closed() + "\"]}]");
        String metrics = RawHttp.send(port, "GET", "/metrics", "127.0.0.1:" + port, null, null).body;
        assertTrue(metrics.contains("rttpick_probes_total{outcome=\"OK\",prober=\"" + prober.name() + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("rttpick_probes_total{outcome=\"REFUSED\""), metrics);
        assertTrue(metrics.contains("rttpick_rtt_seconds_bucket"), metrics);
        assertTrue(metrics.contains("rttpick_rpc_calls_total{method=\"mailservers_ping\",result=\"ok\"} 1.0"), metrics);
    }

    /** One rule of membership: a fleet member however it is written (case, a trailing dot, a multiaddr, IPv6 forms). */
    @Test
    void aFleetMemberIsOneServerHoweverItIsWrittenInEveryMethod() throws Exception {
        String open = servers.open();
        int p = Integer.parseInt(open.substring(open.lastIndexOf(':') + 1));
        int port = start(new ServeSettings().server("localhost:" + p, "Near").server("[::1]:" + p, "Six").fleetOnly(true));
        JsonNode pinned = rpc(port, "rttpick_pin", "[\"LOCALHOST.:" + p + "\"]");
        assertEquals("localhost:" + p, pinned.get("result").get("chosen").asText(), pinned.toString());
        assertEquals("Near", pinned.get("result").get("name").asText(), "the name follows the server, however spelled");
        JsonNode failed = rpc(port, "rttpick_reportFailure", "[\"[0:0:0:0:0:0:0:1]:" + p + "\"]");
        assertFalse(failed.has("error"), failed.toString());
        JsonNode ping = rpc(port, "mailservers_ping", "[{\"addresses\": [\"/dns4/localhost/tcp/" + p + "\", \"[::1]:" + (p + 1)
                + "\"]}]");
        assertEquals("/dns4/localhost/tcp/" + p, ping.get("result").get(0).get("address").asText(), "echoed as sent");
        assertTrue(ping.get("result").get(0).get("error").isNull(), "a member, as a multiaddr: " + ping);
        assertTrue(ping.get("result").get(1).get("error").asText().contains("not in the fleet"), ping.toString());
        RawHttp probe = RawHttp.send(port, "GET", "/probe?target=%5B0%3A0%3A0%3A0%3A0%3A0%3A0%3A1%5D%3A" + p, "127.0.0.1:" + port,
                null, null);
        assertEquals(200, probe.status, "/probe: [::1] written out in full is the member [::1]: " + probe.body);
    }
}
