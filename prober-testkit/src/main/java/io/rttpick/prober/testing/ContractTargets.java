package io.rttpick.prober.testing;

import io.rttpick.fleet.LoopbackFleet;
import java.io.IOException;
import java.net.InetAddress;

/**
 * What the contract tests probe: an address that answers, one that refuses, one that never
 * answers, and how many connections the answering servers' applications accepted. On loopback
 * by default; a prober that does not use the port (ICMP) points "refuses" and "never answers"
 * at servers that do so for it (the TUN fleet's unreachable and blackhole servers).
 */
public interface ContractTargets extends AutoCloseable {

    /** Answers on loopback ({@code 127.0.0.1:port}). */
    String open() throws IOException;

    /** Answers on {@code loopback} (IPv4 or IPv6). */
    String open(InetAddress loopback) throws IOException;

    /** Refuses: REFUSED is the expected outcome. */
    String closed() throws IOException;

    /** Never answers: TIMEOUT is the expected outcome. */
    String silent() throws IOException;

    /** Connections the answering servers' applications accepted. */
    int accepted();

    @Override
    void close();

    /** The default: servers on loopback. */
    static ContractTargets loopback() {
        return loopback(null, null);
    }

    /**
     * Servers on loopback, but "refuses" and "never answers" at the addresses given (a fleet's
     * unreachable and blackhole servers, for a prober that does not use the port); null keeps
     * loopback's own.
     */
    static ContractTargets loopback(String refusing, String silent) {
        LoopbackFleet fleet = new LoopbackFleet();
        return new ContractTargets() {
            @Override
            public String open() throws IOException {
                return fleet.open();
            }

            @Override
            public String open(InetAddress loopback) throws IOException {
                return fleet.open(loopback);
            }

            @Override
            public String closed() throws IOException {
                return refusing != null ? refusing : fleet.closed();
            }

            @Override
            public String silent() throws IOException {
                return silent != null ? silent : fleet.silent();
            }

            @Override
            public int accepted() {
                return fleet.accepted();
            }

            @Override
            public void close() {
                fleet.close();
            }
        };
    }
}
