package io.rttpick.fleet;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Servers on loopback: open ports, closed ports (the kernel answers RST) and silent ports (a
 * listener with a full accept queue: Linux drops further SYNs). Only loopback: nothing here
 * sends a packet anywhere else. Loopback has no distance; delays need the TUN fleet.
 */
public final class LoopbackFleet implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    private final AtomicInteger accepted = new AtomicInteger();

    /** Connections the open listeners have accepted: what the servers' applications saw. */
    public int accepted() {
        return accepted.get();
    }

    /** A listener that accepts and closes every connection; returns {@code host:port} ({@code [v6]:port}). */
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
    public String silent() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        resources.add(server);
        for (int i = 0; i < 8; i++) {
            Socket filler = new Socket();
            resources.add(filler);
            try {
                filler.connect(server.getLocalSocketAddress(), 500); // only a full queue makes this wait
            } catch (IOException full) {
                return format(InetAddress.getLoopbackAddress(), server.getLocalPort());
            }
        }
        throw new IllegalStateException("the accept queue did not fill up; this system does not drop SYNs on overflow");
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}: the forms rttpick parses. */
    private static String format(InetAddress a, int port) {
        if (a instanceof Inet6Address) {
            return "[" + (a.isLoopbackAddress() ? "::1" : a.getHostAddress()) + "]:" + port;
        }
        return a.getHostAddress() + ":" + port;
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
