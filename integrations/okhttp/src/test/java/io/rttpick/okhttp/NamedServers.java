package io.rttpick.okhttp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Real OkHttp {@code MockWebServer}s, one per loopback address and all on one port (one host name's
 * addresses), each answering every request with its own name.
 */
final class NamedServers implements AutoCloseable {
    private final List<MockWebServer> servers = new ArrayList<>();
    final int port;

    NamedServers() throws IOException {
        this(freePort());
    }

    /** On {@code port}, as servers started again where they were. */
    NamedServers(int port) {
        this.port = port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            return probe.getLocalPort(); // free on 127.0.0.2; the others are tried on it too
        }
    }

    /** A server named {@code name} on {@code address}:{@link #port}. */
    void start(String name, String address) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body(name).build();
            }
        });
        server.start(InetAddress.getByName(address), port);
        servers.add(server);
    }

    /** A server on {@code address}:{@link #port} that redirects every request to {@code location}. */
    void redirect(String address, String location) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(302).addHeader("Location", location).build();
            }
        });
        server.start(InetAddress.getByName(address), port);
        servers.add(server);
    }

    @Override
    public void close() {
        servers.forEach(MockWebServer::close);
    }
}
