package io.rttpick.examples.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code serve}: JSON-RPC POSTed to {@code /}, the server-list page at
 * {@code GET /}, Prometheus text at {@code GET /metrics}. Every request passes the
 * {@link RequestGuard} first; a body over the limit is refused with 413 before it is parsed.
 */
final class HttpFrontEnd implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpFrontEnd.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final JsonRpcEndpoint rpc;
    private final Supplier<String> metrics;
    private final int maxBodyBytes;
    private final byte[] page;
    private RequestGuard guard;

    HttpFrontEnd(InetSocketAddress listen, JsonRpcEndpoint rpc, Supplier<String> metrics, int maxBodyBytes, int threads)
            throws IOException {
        this.rpc = rpc;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.page = ServerListPage.html();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "rttpick-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(listen, 64);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
        guard = new RequestGuard(port());
    }

    int port() {
        return server.getAddress().getPort();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Optional<String> refused = guard.refuse(exchange.getRequestHeaders().getFirst("Host"),
                    exchange.getRequestHeaders().getFirst("Origin"), exchange.getRequestHeaders().getFirst("Sec-Fetch-Site"));
            if (refused.isPresent()) {
                log.warn("serve: refused {} {}: {}", method, path, refused.get());
                text(exchange, 403, "forbidden: " + refused.get() + "\n");
                return;
            }
            if (path.equals("/")) {
                if (method.equals("POST")) {
                    postRpc(exchange);
                } else if (method.equals("GET") || method.equals("HEAD")) {
                    send(exchange, 200, "text/html; charset=utf-8", page);
                } else {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD, POST");
                    text(exchange, 405, "method " + method + " not allowed on /\n");
                }
            } else if (path.equals("/metrics")) {
                if (method.equals("GET") || method.equals("HEAD")) {
                    send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get().getBytes(StandardCharsets.UTF_8));
                } else {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    text(exchange, 405, "method " + method + " not allowed on /metrics\n");
                }
            } else {
                text(exchange, 404, "not found: " + path + "\n");
            }
        } catch (IOException | UncheckedIOException e) {
            log.debug("serve: client went away", e);
        } catch (RuntimeException e) {
            log.warn("serve: request failed", e);
        }
    }

    private void postRpc(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBodyBytes) {
            text(exchange, 413, "request body of " + length + " bytes; the limit is " + maxBodyBytes + " (serve --max-body-bytes)\n");
            return;
        }
        byte[] body = readAtMost(exchange.getRequestBody(), maxBodyBytes);
        if (body == null) {
            text(exchange, 413, "request body over the limit of " + maxBodyBytes + " bytes (serve --max-body-bytes)\n");
            return;
        }
        Optional<byte[]> response = rpc.handle(body);
        if (response.isEmpty()) {
            exchange.sendResponseHeaders(204, -1); // only notifications: nothing to say
            return;
        }
        send(exchange, 200, "application/json", response.get());
    }

    /** The body, or null when it is longer than {@code max}. */
    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (out.size() + n > max) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
