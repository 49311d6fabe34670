package io.rttpick.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Positional params, checked: every complaint names the method, the position and what came. */
final class Params {
    private final String method;
    private final JsonNode params;

    private Params(String method, JsonNode params) {
        this.method = method;
        this.params = params;
    }

    /** Params given by position; absent params count as an empty list. */
    static Params of(String method, JsonNode params, int min, int max, String shape) {
        if (params != null && !params.isArray()) {
            throw RpcException.invalidParams(method + " takes its params by position: " + shape);
        }
        int n = params == null ? 0 : params.size();
        if (n < min || n > max) {
            throw RpcException.invalidParams(method + " takes " + shape + ", got " + n + " param" + (n == 1 ? "" : "s"));
        }
        return new Params(method, params);
    }

    /** The method they were sent to, for messages. */
    String method() {
        return method;
    }

    /** The params as sent (null when absent). */
    JsonNode node() {
        return params;
    }

    String string(int i, String what) {
        JsonNode n = params.get(i);
        if (n == null || !n.isTextual()) {
            throw RpcException.invalidParams(method + ": params[" + i + "] (" + what + ") must be a string, got " + describe(n));
        }
        return n.asText();
    }

    double number(int i, String what) {
        JsonNode n = params.get(i);
        if (n == null || !n.isNumber()) {
            throw RpcException.invalidParams(method + ": params[" + i + "] (" + what + ") must be a number, got " + describe(n));
        }
        return n.asDouble();
    }

    Optional<String> optionalString(int i, String what) {
        JsonNode n = params == null ? null : params.get(i);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(string(i, what));
    }

    JsonNode object(int i, String shape) {
        JsonNode n = params.get(i);
        if (n == null || !n.isObject()) {
            throw RpcException.invalidParams(method + ": params[" + i + "] must be an object " + shape + ", got " + describe(n));
        }
        return n;
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String text = n.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
