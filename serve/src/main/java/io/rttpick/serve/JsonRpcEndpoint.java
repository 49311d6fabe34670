package io.rttpick.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rttpick.output.LogText;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * JSON-RPC 2.0 over one request body, as written: a single call or a batch (up to a cap),
 * notifications answered with nothing, every error as the spec numbers it. A failing method never
 * fails its neighbours, and no Throwable of a method (an OutOfMemoryError included) escapes: it
 * is answered with -32603 and logged once.
 */
final class JsonRpcEndpoint {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcEndpoint.class);
    /**
     * Strict: one JSON value per body, and no key twice in an object. With duplicates the last one
     * would win, so a proxy or log that reads the first would see another call than the one run.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Who may call a method: anyone who reaches serve, or only a caller with the token. */
    enum Access {
        READ,
        /** Changes what the service uses (the fleet, the pin, a failure): needs the token. */
        CHANGES_STATE
    }

    /**
     * One method, declared once: its name, its access, its params (by position, from {@code min}
     * to {@code max}, shown as {@code shape} in every complaint) and its handler. Closed by
     * default: only a method declared {@link Access#READ} is served without the token.
     */
    record Method(String name, Access access, int min, int max, String shape, RpcMethod handler) {
        Method {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(handler, "handler");
        }

        static Method read(String name, int min, int max, String shape, RpcMethod handler) {
            return new Method(name, Access.READ, min, max, shape, handler);
        }

        static Method changesState(String name, int min, int max, String shape, RpcMethod handler) {
            return new Method(name, Access.CHANGES_STATE, min, max, shape, handler);
        }

        /** The same declaration with another handler (the answers of a service without a fleet). */
        Method answeredBy(RpcMethod other) {
            return new Method(name, access, min, max, shape, other);
        }
    }

    private final Map<String, Method> methods;
    private final BiConsumer<String, String> outcomes;
    private final int maxBatch;
    private final Duration maxCallTime;

    /**
     * @param methods the method table, each name once
     * @param outcomes told (method, "ok" or the error code) for every call, for metrics
     */
    JsonRpcEndpoint(List<Method> methods, BiConsumer<String, String> outcomes, int maxBatch, Duration maxCallTime) {
        Map<String, Method> byName = new LinkedHashMap<>();
        for (Method m : methods) {
            if (byName.putIfAbsent(m.name(), m) != null) {
                throw new IllegalArgumentException("method " + m.name() + " declared twice");
            }
        }
        this.methods = Collections.unmodifiableMap(byName);
        this.outcomes = outcomes;
        this.maxBatch = maxBatch;
        this.maxCallTime = maxCallTime;
    }

    /** The response body, or empty when every call was a notification. {@code authorized}: the token came. */
    Mono<Optional<byte[]>> handle(byte[] body, boolean authorized) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            return Mono.just(Optional.of(bytes(error(null, RpcException.PARSE_ERROR, "parse error: " + firstLine(e)))));
        }
        if (request == null || request.isMissingNode()) {
            return Mono.just(Optional.of(bytes(error(null, RpcException.PARSE_ERROR, "parse error: empty body"))));
        }
        if (request.isArray()) {
            if (request.isEmpty()) {
                return Mono.just(Optional.of(bytes(error(null, RpcException.INVALID_REQUEST, "invalid request: empty batch"))));
            }
            if (request.size() > maxBatch) {
                return Mono.just(Optional.of(bytes(error(null, RpcException.INVALID_REQUEST, "invalid request: a batch of "
                        + request.size() + " calls; the cap is " + maxBatch + " (serve --max-batch)"))));
            }
            // one call after another: a batch gets no more of the service at once than single calls do
            return Flux.fromIterable(request).concatMap(call -> one(call, authorized))
                    .collectList()
                    .map(JsonRpcEndpoint::batchBody);
        }
        return one(request, authorized).map(r -> r.map(JsonRpcEndpoint::bytes));
    }

    private static Optional<byte[]> batchBody(List<Optional<ObjectNode>> responses) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        responses.forEach(r -> r.ifPresent(out::add));
        return out.isEmpty() ? Optional.empty() : Optional.of(bytes(out));
    }

    private Mono<Optional<ObjectNode>> one(JsonNode call, boolean authorized) {
        if (!call.isObject()) {
            return Mono.just(Optional.of(error(null, RpcException.INVALID_REQUEST,
                    "invalid request: a call must be an object, got " + kind(call))));
        }
        JsonNode id = call.get("id");
        if (id != null && !validId(id)) {
            return Mono.just(Optional.of(error(null, RpcException.INVALID_REQUEST,
                    "invalid request: id must be a string, a number or null")));
        }
        JsonNode version = call.get("jsonrpc");
        if (version == null || !version.isTextual() || !version.asText().equals("2.0")) {
            return Mono.just(Optional.of(error(id, RpcException.INVALID_REQUEST, "invalid request: jsonrpc must be \"2.0\"")));
        }
        JsonNode methodNode = call.get("method");
        if (methodNode == null || !methodNode.isTextual()) {
            return Mono.just(Optional.of(error(id, RpcException.INVALID_REQUEST, "invalid request: method must be a string")));
        }
        boolean notification = id == null;
        String name = methodNode.asText();
        JsonNode params = call.get("params");
        if (params != null && !(params.isArray() || params.isObject())) {
            return respond(notification, error(id, RpcException.INVALID_REQUEST, "invalid request: params must be an array or an object"));
        }
        Method method = methods.get(name);
        if (method == null) {
            outcomes.accept("unknown", String.valueOf(RpcException.METHOD_NOT_FOUND));
            return respond(notification, error(id, RpcException.METHOD_NOT_FOUND, "method not found: " + LogText.safe(name, 100)));
        }
        if (method.access() != Access.READ && !authorized) {
            outcomes.accept(name, String.valueOf(RpcException.UNAUTHORIZED));
            return respond(notification, error(id, RpcException.UNAUTHORIZED, name + " changes what the service uses: it needs"
                    + " the header Authorization: Bearer <token>, with the token serve wrote to its token file at start"
                    + " (serve --token-file; the page's address it printed carries it)"));
        }
        Mono<?> result;
        try {
            result = method.handler().call(Params.of(name, params, method.min(), method.max(), method.shape()));
        } catch (Throwable t) {
            return Mono.just(failure(notification, id, name, t));
        }
        return shielded(result)
                .timeout(maxCallTime)
                .map(value -> {
                    try {
                        outcomes.accept(name, "ok");
                        ObjectNode response = JsonNodeFactory.instance.objectNode();
                        response.put("jsonrpc", "2.0");
                        response.set("result", JSON.valueToTree(value));
                        response.set("id", id);
                        return notification ? Optional.<ObjectNode>empty() : Optional.of(response);
                    } catch (Throwable t) {
                        return failure(notification, id, name, t);
                    }
                })
                .switchIfEmpty(Mono.fromSupplier(() -> failure(notification, id, name,
                        new IllegalStateException(name + " gave no answer"))))
                .onErrorResume(t -> Mono.just(failure(notification, id, name, t)));
    }

    /**
     * {@code m}, subscribed to inside a try: Reactor rethrows a JVM-fatal error (an
     * OutOfMemoryError) raised while subscribing instead of signalling it, which would leave the
     * call unanswered and the error loose on the event loop. What goes wrong later, on another
     * thread, the call's time bound answers.
     */
    private static Mono<Object> shielded(Mono<?> m) {
        return Mono.create(sink -> {
            Disposable.Swap subscription = Disposables.swap();
            sink.onCancel(subscription);
            boolean[] valued = new boolean[1]; // an empty success after the value could overtake it
            try {
                subscription.update(m.subscribe(v -> {
                    valued[0] = true;
                    sink.success(v);
                }, sink::error, () -> {
                    if (!valued[0]) {
                        sink.success();
                    }
                }));
            } catch (Throwable t) {
                sink.error(new Safe.HandlerFailure(t));
            }
        });
    }

    /** An error a method raised (its own code), or anything else (-32603, logged once, here). */
    private Optional<ObjectNode> failure(boolean notification, JsonNode id, String name, Throwable t) {
        if (t instanceof RpcException e) {
            outcomes.accept(name, String.valueOf(e.code));
            return notification ? Optional.empty() : Optional.of(error(id, e.code, e.getMessage()));
        }
        Throwable cause = t instanceof Safe.HandlerFailure && t.getCause() != null ? t.getCause() : t;
        String what = cause instanceof TimeoutException
                ? "no answer within " + maxCallTime.toSeconds() + " s" : cause.getClass().getSimpleName();
        // once, here; no stack for a JVM error (the heap may be gone, and its stack says nothing of the request)
        log.error("serve: {} failed: {}", LogText.safe(name, 100), LogText.safe(String.valueOf(cause)),
                cause instanceof VirtualMachineError ? null : cause);
        outcomes.accept(name, String.valueOf(RpcException.INTERNAL_ERROR));
        return notification ? Optional.empty() : Optional.of(error(id, RpcException.INTERNAL_ERROR, "internal error: " + what));
    }

    /** A string, a finite number, or null (JSON-RPC 2.0: no fractions either, but those we take). */
    private static boolean validId(JsonNode id) {
        if (id.isTextual() || id.isNull()) {
            return true;
        }
        return id.isNumber() && (!id.isFloatingPointNumber() || Double.isFinite(id.asDouble()));
    }

    private static Mono<Optional<ObjectNode>> respond(boolean notification, ObjectNode response) {
        return Mono.just(notification ? Optional.empty() : Optional.of(response));
    }

    static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("jsonrpc", "2.0");
        ObjectNode error = response.putObject("error");
        error.put("code", code);
        error.put("message", message);
        response.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        return response;
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String firstLine(IOException e) {
        String m = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
        String line = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        return LogText.safe(line, 160);
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON-RPC response", e);
        }
    }
}
