package io.rttpick.examples.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over one request body: a single call or a batch, notifications answered with
 * nothing, every error as the spec numbers it. A failing method never fails its neighbours.
 */
final class JsonRpcEndpoint {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, RpcMethod> methods;
    private final BiConsumer<String, String> outcomes;

    /** @param outcomes told (method, "ok" or the error code) for every call, for metrics */
    JsonRpcEndpoint(Map<String, RpcMethod> methods, BiConsumer<String, String> outcomes) {
        this.methods = Map.copyOf(methods);
        this.outcomes = outcomes;
    }

    /** The response body, or empty when every call was a notification. */
    Optional<byte[]> handle(byte[] body) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            return Optional.of(bytes(error(null, RpcException.PARSE_ERROR, "parse error: " + firstLine(e))));
        }
        if (request == null || request.isMissingNode()) {
            return Optional.of(bytes(error(null, RpcException.PARSE_ERROR, "parse error: empty body")));
        }
        if (request.isArray()) {
            if (request.isEmpty()) {
                return Optional.of(bytes(error(null, RpcException.INVALID_REQUEST, "invalid request: empty batch")));
            }
            ArrayNode responses = JsonNodeFactory.instance.arrayNode();
            for (JsonNode call : request) {
                one(call).ifPresent(responses::add);
            }
            return responses.isEmpty() ? Optional.empty() : Optional.of(bytes(responses));
        }
        return one(request).map(JsonRpcEndpoint::bytes);
    }

    private Optional<ObjectNode> one(JsonNode call) {
        if (!call.isObject()) {
            return Optional.of(error(null, RpcException.INVALID_REQUEST, "invalid request: a call must be an object, got " + kind(call)));
        }
        JsonNode id = call.get("id");
        boolean notification = id == null;
        if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
            return Optional.of(error(null, RpcException.INVALID_REQUEST, "invalid request: id must be a string, a number or null"));
        }
        if (!"2.0".equals(call.path("jsonrpc").asText(null))) {
            return Optional.of(error(id, RpcException.INVALID_REQUEST, "invalid request: jsonrpc must be \"2.0\""));
        }
        JsonNode methodNode = call.get("method");
        if (methodNode == null || !methodNode.isTextual()) {
            return Optional.of(error(id, RpcException.INVALID_REQUEST, "invalid request: method must be a string"));
        }
        String name = methodNode.asText();
        JsonNode params = call.get("params");
        if (params != null && !(params.isArray() || params.isObject())) {
            return respond(notification, error(id, RpcException.INVALID_REQUEST, "invalid request: params must be an array or an object"));
        }
        RpcMethod method = methods.get(name);
        if (method == null) {
            outcomes.accept("unknown", String.valueOf(RpcException.METHOD_NOT_FOUND));
            return respond(notification, error(id, RpcException.METHOD_NOT_FOUND, "method not found: " + name));
        }
        try {
            Object result = method.call(params);
            outcomes.accept(name, "ok");
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            response.put("jsonrpc", "2.0");
            response.set("result", JSON.valueToTree(result));
            response.set("id", id);
            return respond(notification, response);
        } catch (RpcException e) {
            outcomes.accept(name, String.valueOf(e.code));
            return respond(notification, error(id, e.code, e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("serve: {} failed", name, e);
            outcomes.accept(name, String.valueOf(RpcException.INTERNAL_ERROR));
            return respond(notification, error(id, RpcException.INTERNAL_ERROR, "internal error: " + e));
        }
    }

    private static Optional<ObjectNode> respond(boolean notification, ObjectNode response) {
        return notification ? Optional.empty() : Optional.of(response);
    }

    private static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("jsonrpc", "2.0");
        ObjectNode error = response.putObject("error");
        error.put("code", code);
        error.put("message", message);
        response.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        return response;
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(IOException e) {
        String m = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON-RPC response", e);
        }
    }
}
