package io.rttpick.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import reactor.core.publisher.Mono;
import org.junit.jupiter.api.Test;

class JsonRpcEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> outcomes = new ArrayList<>();
    private final JsonRpcEndpoint endpoint = new JsonRpcEndpoint(List.of(
            method("echo", params -> Mono.just(params.node() == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                    : params.node())),
            method("fails", params -> {
                throw RpcException.invalidParams("fails: params[0] must be a string, got 5");
            }),
            method("breaks", params -> {
                throw new IllegalStateException("a bug");
            }),
            method("overflows", params -> {
                throw new StackOverflowError("deep");
            }),
            method("failsLater", params -> Mono.error(new IllegalStateException("a bug, later"))),
            JsonRpcEndpoint.Method.changesState("changes", 0, 9, "[...]", params -> Mono.just("changed")),
            new JsonRpcEndpoint.Method("undeclaredAccess", JsonRpcEndpoint.Access.CHANGES_STATE, 0, 0, "[]",
                    params -> Mono.just("changed"))),
            (method, result) -> outcomes.add(method + "=" + result), 5, Duration.ofSeconds(5));

    private static JsonRpcEndpoint.Method method(String name, RpcMethod impl) {
        return JsonRpcEndpoint.Method.read(name, 0, 9, "[...]", impl);
    }

    private Optional<byte[]> handle(String body, boolean authorized) {
        return endpoint.handle(body.getBytes(StandardCharsets.UTF_8), authorized).block(Duration.ofSeconds(10));
    }

    private JsonNode call(String body) throws Exception {
        return call(body, false);
    }

    private JsonNode call(String body, boolean authorized) throws Exception {
        Optional<byte[]> out = handle(body, authorized);
        assertTrue(out.isPresent(), "no response to " + body);
        return JSON.readTree(out.get());
    }

    @Test
    void aCallGetsItsResultUnderItsOwnId() throws Exception {
        JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"echo\",\"params\":[1,\"two\"]}");
        assertEquals("2.0", r.get("jsonrpc").asText());
        assertEquals("abc", r.get("id").asText());
        assertEquals("[1,\"two\"]", r.get("result").toString());
        assertFalse(r.has("error"));
        assertEquals(List.of("echo=ok"), outcomes);
    }

    @Test
    void malformedJsonIsAParseErrorWithANullId() throws Exception {
        JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        assertEquals(-32700, r.get("error").get("code").asInt());
        assertTrue(r.get("error").get("message").asText().startsWith("parse error"), r.toString());
        assertTrue(r.get("id").isNull());
        assertEquals(-32700, call("").get("error").get("code").asInt());
    }

    @Test
    void invalidRequestsAreNamed() throws Exception {
        assertEquals("invalid request: jsonrpc must be \"2.0\"",
                call("{\"id\":1,\"method\":\"echo\"}").get("error").get("message").asText());
        assertEquals("invalid request: method must be a string",
                call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}").get("error").get("message").asText());
        assertEquals("invalid request: params must be an array or an object",
                call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":7}").get("error").get("message").asText());
        assertEquals(-32600, call("[]").get("error").get("code").asInt());
        assertEquals(-32600, call("42").get("error").get("code").asInt());
    }

    @Test
    void unknownMethodsWrongParamsAndBugsEachGetTheirCode() throws Exception {
        assertEquals(-32601, call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"}").get("error").get("code").asInt());
        JsonNode wrong = call("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"fails\",\"params\":[5]}");
        assertEquals(-32602, wrong.get("error").get("code").asInt());
        assertEquals("fails: params[0] must be a string, got 5", wrong.get("error").get("message").asText());
        JsonNode bug = call("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"breaks\"}");
        assertEquals(-32603, bug.get("error").get("code").asInt());
        assertEquals(3, bug.get("id").asInt());
    }

    @Test
    void aBatchAnswersEveryCallButNotificationsAndOneFailureCostsNothingElse() throws Exception {
        JsonNode r = call("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1]},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"notification\"]},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"fails\"},"
                + "3,"
                + "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"echo\",\"params\":[4]}]");
        assertEquals(4, r.size(), r.toString());
        assertEquals("[1]", r.get(0).get("result").toString());
        assertEquals(-32602, r.get(1).get("error").get("code").asInt());
        assertEquals(-32600, r.get(2).get("error").get("code").asInt());
        assertEquals("[4]", r.get(3).get("result").toString());
    }

    @Test
    void onlyNotificationsMeanNoResponseAtAll() {
        assertTrue(handle("{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}", false).isEmpty());
        assertTrue(handle("[{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}]", false).isEmpty());
    }

    @Test
    void jsonrpcMustBeTheString20() throws Exception {
        for (String version : new String[] {"2.0", "2", "\"2\"", "null", "[\"2.0\"]", "\"2.0 \""}) {
            JsonNode r = call("{\"jsonrpc\":" + version + ",\"id\":1,\"method\":\"echo\"}");
            assertEquals(-32600, r.get("error").get("code").asInt(), version);
            assertEquals(1, r.get("id").asInt(), version);
        }
    }

    @Test
    void anIdThatIsNotAStringAFiniteNumberOrNullIsInvalidWithIdNull() throws Exception {
        for (String id : new String[] {"{}", "[1]", "true", "1e400", "-1e400"}) {
            JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"echo\"}");
            assertEquals(-32600, r.get("error").get("code").asInt(), id);
            assertTrue(r.get("id").isNull(), id);
        }
        for (String id : new String[] {"\"x\"", "0", "-7", "1.5", "12345678901234567890123", "null"}) {
            JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"echo\",\"params\":[1]}");
            assertTrue(r.has("result"), id + ": " + r);
        }
    }

    @Test
    void anythingAfterTheJsonValueIsAParseError() throws Exception {
        for (String tail : new String[] {"x", "{}", "[]", " 1", "\u0000"}) {
            JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}" + tail);
            assertEquals(-32700, r.get("error").get("code").asInt(), tail);
        }
        JsonNode spaced = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}\r\n \t");
        assertTrue(spaced.has("result"), "white space is fine: " + spaced);
    }

    @Test
    void aKeyTwiceInOneObjectIsAParseErrorNamingIt() throws Exception {
        // with the last one winning, a proxy or a log reading the first would see another call than the one run
        JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"method\":\"changes\"}");
        assertEquals(-32700, r.get("error").get("code").asInt(), r.toString());
        assertTrue(r.get("error").get("message").asText().contains("'method'"), r.toString());
        assertTrue(r.get("id").isNull());
        JsonNode nested = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[{\"a\":1,\"a\":2}]}");
        assertEquals(-32700, nested.get("error").get("code").asInt(), nested.toString());
        assertEquals(List.of(), outcomes, "nothing ran");
    }

    @Test
    void aBatchOverTheCapIsOneErrorNamingIt() throws Exception {
        String one = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}";
        JsonNode r = call("[" + String.join(",", java.util.Collections.nCopies(6, one)) + "]");
        assertEquals(-32600, r.get("error").get("code").asInt());
        assertTrue(r.get("error").get("message").asText().contains("a batch of 6 calls; the cap is 5 (serve --max-batch)"), r.toString());
        assertTrue(r.get("id").isNull());
        assertEquals(5, call("[" + String.join(",", java.util.Collections.nCopies(5, one)) + "]").size());
    }

    @Test
    void aMethodThatChangesStateNeedsTheToken() throws Exception {
        JsonNode refused = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"changes\"}");
        assertEquals(-32001, refused.get("error").get("code").asInt());
        assertTrue(refused.get("error").get("message").asText().contains("Authorization: Bearer"), refused.toString());
        assertEquals("changed", call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"changes\"}", true).get("result").asText());
    }

    @Test
    void anyThrowableOfAMethodIsAnsweredAndItsNeighboursStillAre() throws Exception {
        JsonNode r = call("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"overflows\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"failsLater\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"echo\",\"params\":[3]}]");
        assertEquals(-32603, r.get(0).get("error").get("code").asInt());
        assertEquals("internal error: StackOverflowError", r.get(0).get("error").get("message").asText());
        assertEquals(-32603, r.get(1).get("error").get("code").asInt());
        assertEquals("[3]", r.get(2).get("result").toString());
    }

    @Test
    void aMethodNotDeclaredReadNeedsTheTokenWhateverItsName() throws Exception {
        assertEquals(-32001, call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"undeclaredAccess\"}").get("error").get("code").asInt());
        assertEquals("changed", call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"undeclaredAccess\"}", true).get("result").asText());
        JsonNode count = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"undeclaredAccess\",\"params\":[1]}", true);
        assertEquals(-32602, count.get("error").get("code").asInt());
        assertEquals("undeclaredAccess takes [], got 1 param", count.get("error").get("message").asText(),
                "the declared shape is checked by the endpoint");
        JsonNode unauthorizedFirst = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"undeclaredAccess\",\"params\":[1]}");
        assertEquals(-32001, unauthorizedFirst.get("error").get("code").asInt(), "the token is checked before the params");
    }
}
