package io.rttpick.examples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonRpcEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> outcomes = new ArrayList<>();
    private final JsonRpcEndpoint endpoint = new JsonRpcEndpoint(Map.of(
            "echo", params -> params,
            "fails", params -> {
                throw RpcException.invalidParams("fails: params[0] must be a string, got 5");
            },
            "breaks", params -> {
                throw new IllegalStateException("a bug");
            }), (method, result) -> outcomes.add(method + "=" + result));

    private JsonNode call(String body) throws Exception {
        Optional<byte[]> out = endpoint.handle(body.getBytes(StandardCharsets.UTF_8));
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
        assertTrue(endpoint.handle("{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(endpoint.handle("[{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}]"
                .getBytes(StandardCharsets.UTF_8)).isEmpty());
    }
}
