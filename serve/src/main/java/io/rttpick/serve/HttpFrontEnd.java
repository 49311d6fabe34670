package io.rttpick.serve;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.rttpick.output.LogText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import reactor.util.context.Context;

/**
 * The HTTP side of {@code serve}, on Reactor Netty: JSON-RPC POSTed to {@code /}, the
 * server-list page at {@code GET /}, Prometheus text at {@code GET /metrics}, one probe as
 * Prometheus text at {@code GET /probe}. A metrics listener ({@code --metrics-listen}) serves
 * only the last two, to the host names allowed and with the bearer token set. Non-blocking
 * handlers; every connection under {@link ConnectionDeadlines}; over the connection cap a new
 * connection is closed at once, never queued; every request passes the {@link RequestGuard}
 * first; a body over the cap is refused with 413 before it is parsed, with or without a length.
 */
final class HttpFrontEnd implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpFrontEnd.class);

    /** A body over the cap is still read (not kept) up to this, so that its client sees the 413 rather than a reset. */
    private static final long DRAIN_MAX = 16L << 20;

    /** Where it listens and what it serves: everything, or /probe and /metrics only to the names and token given. */
    record Listener(InetSocketAddress address, boolean full, Set<String> hostNames, String bearer) {
    }

    private final ServeSettings settings;
    private final Listener listener;
    private final JsonRpcEndpoint rpc;
    private final ServeMetrics metrics;
    private final ProbeEndpoint probe;
    private final ServeToken token;
    private final byte[] page;
    private final AtomicInteger connections = new AtomicInteger();
    /** Refused requests (a foreign Host or Origin): any web page can cause them, so at most one line a second. */
    private final ThrottledLog refusals = new ThrottledLog(1, TimeUnit.SECONDS, System::nanoTime,
            line -> log.warn("serve: refused {}", line));
    private final LoopResources loops;
    /** Set once the port is known, before the first connection is accepted; null refuses. */
    private volatile RequestGuard guard;
    private DisposableServer server;

    HttpFrontEnd(ServeSettings settings, Listener listener, JsonRpcEndpoint rpc, ServeMetrics metrics, ProbeEndpoint probe,
            ServeToken token) {
        this.settings = settings;
        this.listener = listener;
        this.rpc = rpc;
        this.metrics = metrics;
        this.probe = probe;
        this.token = token;
        this.page = ServerListPage.html();
        this.quietResets = Context.of("reactor.onErrorDropped.local", (Consumer<Throwable>) e -> {
            if (reactor.netty.channel.AbortedException.isConnectionReset(e)) {
                metrics.clientReset(); // counted, so that a test (and an operator) sees them arrive
                log.debug("serve: a client reset its connection: {}", e.toString());
            } else {
                log.warn("serve: an error after its request had ended: {}", LogText.safe(String.valueOf(e)));
            }
        });
        this.loops = new FamilyLoops(LoopResources.create("rttpick-serve", 1, 2, true), listener.address());
    }

    /** Binds and serves; the guard knows the port before any request is read. */
    void start() {
        server = HttpServer.create()
                .bindAddress(listener::address)
                .runOn(loops)
                .httpRequestDecoder(spec -> spec.maxInitialLineLength(8_192).maxHeaderSize(16_384))
                .doOnChannelInit((observer, channel, remote) -> {
                    if (connections.incrementAndGet() > settings.maxConnections) {
                        connections.decrementAndGet();
                        log.debug("serve: {} refused: {} connections open (serve --max-connections)", remote, settings.maxConnections);
                        channel.close();
                        return;
                    }
                    channel.closeFuture().addListener(f -> connections.decrementAndGet());
                    ConnectionDeadlines.install(channel, settings.requestDeadline, settings.writeDeadline, settings.idleTimeout);
                })
                .doOnBound(bound -> guard = new RequestGuard(bound.port(), listener.hostNames()))
                .handle((req, res) -> Mono.from(handle(req, res)).contextWrite(quietResets))
                .bindNow();
        if (guard == null) {
            guard = new RequestGuard(server.port(), listener.hostNames());
        }
    }

    /**
     * Reactor Netty 1.3 signals a client's connection reset a second time while it tears the
     * request down, to a subscriber already done, and Reactor's default hook prints that as an
     * ERROR with a stack trace: any local process could fill the user's terminal and logs by
     * resetting connections. This hook, local to the requests' subscribers through Reactor's
     * context (the key its {@code Operators.onErrorDropped} reads; the global hook stays the
     * application's), takes a reset at DEBUG and says anything else once, in a line. The key is
     * Reactor's own, not public API: ServeCommandTest's reset test fails if an upgrade stops reading it
     * (it counts the resets that reach it: rttpick_client_resets_total).
     */
    private final Context quietResets;

    int port() {
        return server.port();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    /** Connections open now (for tests and metrics). */
    int openConnections() {
        return connections.get();
    }

    private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        try {
            QueryStringDecoder uri = new QueryStringDecoder(req.uri()); // once per request: path and query
            try {
                uri.path();
                uri.parameters();
            } catch (IllegalArgumentException badEscape) {
                // "GET /%" or "/a%zz": the client's mistake, answered without echoing it back
                res.keepAlive(false);
                return text(res, HttpResponseStatus.BAD_REQUEST,
                        "bad request: the path or query is not valid percent-encoding (RFC 3986)\n");
            }
            if (listener.full() && req.method().equals(HttpMethod.POST) && uri.path().equals("/") && refusal(req).isEmpty()) {
                return postRpc(req, res); // reads its body itself
            }
            // any other request's body is read (and dropped) before the answer: a connection closed with
            // bytes unread is reset, and its client would not see the answer
            String length = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
            if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > DRAIN_MAX) {
                res.keepAlive(false);
                return route(req, res, uri);
            }
            return req.receive().then(Mono.defer(() -> Mono.from(route(req, res, uri))));
        } catch (Throwable t) {
            log.error("serve: request failed: {}", LogText.safe(String.valueOf(t)));
            return text(res, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
    }

    private Optional<String> refusal(HttpServerRequest req) {
        RequestGuard g = guard;
        return g == null ? Optional.of("the service is starting") : g.refuse(
                req.requestHeaders().get(HttpHeaderNames.HOST), req.requestHeaders().get(HttpHeaderNames.ORIGIN),
                req.requestHeaders().get("Sec-Fetch-Site"));
    }

    private Publisher<Void> route(HttpServerRequest req, HttpServerResponse res, QueryStringDecoder uri) {
        String path = uri.path();
        HttpMethod method = req.method();
        Optional<String> refused = refusal(req);
        if (refused.isPresent()) {
            refusals.log(method + " " + LogText.safe(path, 100) + ": " + LogText.safe(refused.get()));
            return text(res, HttpResponseStatus.FORBIDDEN, "forbidden: " + refused.get() + "\n");
        }
        if (listener.bearer() != null && !bearerMatches(req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION))) {
            res.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            return text(res, HttpResponseStatus.UNAUTHORIZED, "unauthorized: this listener needs Authorization: Bearer <token>"
                    + " (the token in serve --metrics-token-file)\n");
        }
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        if (!listener.full() && !path.equals("/metrics") && !path.equals("/probe")) {
            return text(res, HttpResponseStatus.NOT_FOUND, "not found: " + LogText.safe(path, 100)
                    + " (this listener serves /probe and /metrics only)\n");
        }
        switch (path) {
            case "/probe":
                if (!read) {
                    return notAllowed(res, method, path, "GET, HEAD");
                }
                return probe.probe(uri.parameters(), req.requestHeaders().get("X-Prometheus-Scrape-Timeout-Seconds"))
                        .flatMap(a -> Mono.from(a.status() == 200
                                ? send(req, res, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                                        a.text().getBytes(StandardCharsets.UTF_8))
                                : text(res, HttpResponseStatus.valueOf(a.status()), a.text())));
            case "/": // a POST here that the guard lets through went to postRpc before
                if (read) {
                    // the page has buttons that change state: no other site may frame it (clickjacking)
                    res.header("X-Frame-Options", "DENY").header("Content-Security-Policy", "frame-ancestors 'none'");
                    return send(req, res, HttpResponseStatus.OK, "text/html; charset=utf-8", page);
                }
                return notAllowed(res, method, path, "GET, HEAD, POST");
            case "/metrics":
                if (read) {
                    return send(req, res, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape().getBytes(StandardCharsets.UTF_8));
                }
                return notAllowed(res, method, path, "GET, HEAD");
            default:
                return text(res, HttpResponseStatus.NOT_FOUND, "not found: " + LogText.safe(path, 100) + "\n");
        }
    }

    private boolean bearerMatches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8),
                listener.bearer().getBytes(StandardCharsets.UTF_8));
    }

    private Publisher<Void> notAllowed(HttpServerResponse res, HttpMethod method, String path, String allow) {
        res.header(HttpHeaderNames.ALLOW, allow);
        return text(res, HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + LogText.safe(method.name(), 40)
                + " not allowed on " + path + "\n");
    }

    private Publisher<Void> postRpc(HttpServerRequest req, HttpServerResponse res) {
        int max = settings.maxBodyBytes;
        String length = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        boolean declaredTooLarge = length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > max;
        if (declaredTooLarge && Long.parseLong(length) > DRAIN_MAX) {
            res.keepAlive(false); // too much to read only to refuse it: answered at once, the connection closed
            return text(res, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body of " + length
                    + " bytes; the limit is " + max + " bytes (serve --max-body-bytes)\n");
        }
        boolean authorized = token.authorizes(req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
        // the body is read to its end either way (over the cap: counted, not kept): a connection closed
        // with bytes unread is reset, and the client would never see the 413; the request deadline bounds it
        return req.receive()
                .reduceWith(() -> new Body(declaredTooLarge ? -1 : max), Body::add)
                .defaultIfEmpty(new Body(max))
                .flatMap(body -> {
                    if (body.tooLarge()) {
                        res.keepAlive(false);
                        return Mono.from(text(res, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, (declaredTooLarge
                                ? "request body of " + length + " bytes; the limit is " : "request body over the limit of ")
                                + max + " bytes (serve --max-body-bytes)\n"));
                    }
                    return rpc.handle(body.bytes(), authorized).flatMap(answer -> answer.isEmpty()
                            ? Mono.from(status(res, HttpResponseStatus.NO_CONTENT)) // only notifications: nothing to say
                            : Mono.from(send(req, res, HttpResponseStatus.OK, "application/json", answer.get())));
                });
    }

    /** A request body kept up to a cap (-1: nothing kept); past it only counted, and {@link #tooLarge()}. */
    private static final class Body {
        private final int max;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean tooLarge;

        Body(int max) {
            this.max = max;
            this.tooLarge = max < 0;
        }

        Body add(ByteBuf chunk) {
            if (!tooLarge && bytes.size() + chunk.readableBytes() > max) {
                tooLarge = true;
                bytes.reset();
            }
            if (tooLarge) {
                chunk.skipBytes(chunk.readableBytes());
                return this;
            }
            try {
                chunk.readBytes(bytes, chunk.readableBytes());
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
            return this;
        }

        boolean tooLarge() {
            return tooLarge;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static Publisher<Void> status(HttpServerResponse res, HttpResponseStatus status) {
        common(res);
        return res.status(status).send();
    }

    private static Publisher<Void> text(HttpServerResponse res, HttpResponseStatus status, String body) {
        common(res);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return res.status(status).header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
                .sendByteArray(Mono.just(bytes));
    }

    private static Publisher<Void> send(HttpServerRequest req, HttpServerResponse res, HttpResponseStatus status, String type,
            byte[] body) {
        common(res);
        res.status(status).header(HttpHeaderNames.CONTENT_TYPE, type)
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
        if (req.method().equals(HttpMethod.HEAD)) {
            return res.send();
        }
        return res.sendByteArray(Mono.just(body));
    }

    /** Never cached, never sniffed into another type; no CORS header is ever sent (no cross-origin reader). */
    private static void common(HttpServerResponse res) {
        res.header(HttpHeaderNames.CACHE_CONTROL, "no-store").header("X-Content-Type-Options", "nosniff");
    }

    @Override
    public void close() {
        if (server != null) {
            server.disposeNow();
        }
        loops.dispose();
    }
}
