package io.rttpick.prober.testing;

import io.rttpick.prober.SocketAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Servers on loopback for the contract tests: an open port, a closed port (RST) and a port
 * that never answers (a listener with a full accept queue: Linux drops further SYNs).
 * Only loopback: these tests send no packet anywhere else.
 */
public final class LoopbackServers implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    private final AtomicInteger accepted = new AtomicInteger();

    /** Connections the open listeners have accepted: what the servers' applications saw. */
    public int accepted() {
        return accepted.get();
    }

    /** A listener that accepts and closes every connection; returns {@code host:port}. */
    public String open(InetAddress loopback) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(loopback, 0), 4096);
        resources.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket ignored = server.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "loopback-acceptor-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return format(loopback, server.getLocalPort());
    }

    public String open() throws IOException {
        return open(InetAddress.getLoopbackAddress());
    }

    /** A port bound but not listening: the kernel answers a SYN with RST. */
    public String closed() throws IOException {
        Socket holder = new Socket();
        holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        resources.add(holder);
        return format(InetAddress.getLoopbackAddress(), holder.getLocalPort());
    }

    /**
     * A listener whose accept queue is full and never drained: SYNs to it are dropped, so a
     * probe there times out.
     */
    public String blackhole() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        resources.add(server);
        for (int i = 0; i < 8; i++) {
            Socket filler = new Socket();
            resources.add(filler);
            try {
                filler.connect(server.getLocalSocketAddress(), 300);
            } catch (IOException full) {
                return format(InetAddress.getLoopbackAddress(), server.getLocalPort());
            }
        }
        throw new IllegalStateException("the accept queue did not fill up; this system does not drop SYNs on overflow");
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
                // best effort: the test is over
            }
        }
        resources.clear();
    }
}
