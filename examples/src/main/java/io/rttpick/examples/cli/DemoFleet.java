package io.rttpick.examples.cli;

import io.rttpick.prober.SocketAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet of {@code rttpick demo}: a small fleet on loopback (three listening servers, one that refuses,
 * one that never answers). Loopback has no distance, so every answering
 * server is FAST: the demo shows the mechanics (early choice, groups, dead servers last), not
 * geography. The simulated fleet with real delays is a later issue.
 */
final class DemoFleet implements AutoCloseable {
    static final String DESCRIPTION = "demo fleet on loopback: 3 listening servers, 1 refusing, 1 silent";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();

    /** Starts the servers; {@link #close()} stops them. */
    DemoFleet() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try {
            for (int i = 1; i <= 3; i++) {
                addresses.add(listening(lo));
            }
            addresses.add(refusing(lo));
            addresses.add(silent(lo));
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    List<String> addresses() {
        return List.copyOf(addresses);
    }

    private String listening(InetAddress lo) throws IOException {
        ServerSocket server = bound(lo, 64);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                } catch (IOException e) {
                    return;
                }
            }
        }, "demo-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return format(lo, server.getLocalPort());
    }

    /** Bound, not listening: the kernel answers with RST. */
    private String refusing(InetAddress lo) throws IOException {
        Socket holder = new Socket();
        resources.add(holder);
        holder.bind(new InetSocketAddress(lo, 0));
        return format(lo, holder.getLocalPort());
    }

    /** A listener whose accept queue is full: the kernel drops further SYNs. */
    private String silent(InetAddress lo) throws IOException {
        ServerSocket server = bound(lo, 1);
        for (int i = 0; i < 8; i++) {
            Socket filler = new Socket();
            resources.add(filler);
            try {
                filler.connect(server.getLocalSocketAddress(), 200);
            } catch (IOException queueFull) {
                break;
            }
        }
        return format(lo, server.getLocalPort());
    }

    private ServerSocket bound(InetAddress lo, int backlog) throws IOException {
        ServerSocket server = new ServerSocket();
        resources.add(server);
        server.bind(new InetSocketAddress(lo, 0), backlog);
        return server;
    }

    private static String format(InetAddress a, int port) {
        return SocketAddresses.format(new InetSocketAddress(a, port));
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // the demo is over
            }
        }
    }
}
