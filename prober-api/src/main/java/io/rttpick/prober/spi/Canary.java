package io.rttpick.prober.spi;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.prober.Timing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A native prober proves itself before it is trusted: real probes, at once, of two listeners it
 * opens on loopback and of a port that refuses, each answer matched to its own target. A wrong
 * struct layout, a wrong offset or a misrouted event shows up here as a timeout, an answer for
 * the wrong target or a refusal in the wrong place, not as a wrong RTT in a user's choice. For a
 * half-open prober no listener may have accepted a connection; for kernel timing the RTT must be
 * possible (above zero, within the time the probes took).
 */
public final class Canary {
    private final Handshake handshake;
    private final Duration timeout;
    private final boolean echo;

    /**
     * @param handshake how the prober's OK samples end here (HALF_OPEN: no listener may accept)
     * @param timeout per probe; a canary answered by nobody fails after it
     */
    public Canary(Handshake handshake, Duration timeout) {
        this(handshake, timeout, false);
    }

    private Canary(Handshake handshake, Duration timeout, boolean echo) {
        this.handshake = handshake;
        this.timeout = timeout;
        this.echo = echo;
    }

    /**
     * For a prober that does not use the port (ICMP echo): three loopback addresses
     * (127.0.0.1, .2, .3), which the kernel answers itself, probed at once, each answer matched to
     * its own address, the RTT possible.
     */
    public static Canary echo(Duration timeout) {
        return new Canary(Handshake.NONE, timeout, true);
    }

    /** Why {@code prober} cannot be trusted here, or empty when every answer was right. The prober is not closed. */
    public Optional<String> check(Prober prober) {
        if (echo) {
            return checkEcho(prober);
        }
        List<AutoCloseable> held = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            ServerSocketChannel first = listener(loopback, held);
            ServerSocketChannel second = listener(loopback, held);
            InetSocketAddress refusing = refusing(loopback, held);
            List<InetSocketAddress> targets = List.of((InetSocketAddress) first.getLocalAddress(),
                    (InetSocketAddress) second.getLocalAddress(), refusing);
            Answers answers = probeAll(prober, targets);
            if (answers.problem != null) {
                return Optional.of(answers.problem);
            }
            for (int i = 0; i < 3; i++) {
                Optional<String> wrong = judge(answers.byIndex[i], targets.get(i), i < 2 ? Outcome.OK : Outcome.REFUSED,
                        answers.wallMicros);
                if (wrong.isPresent()) {
                    return wrong;
                }
            }
            if (handshake == Handshake.HALF_OPEN) {
                for (ServerSocketChannel listener : List.of(first, second)) {
                    SocketChannel accepted = listener.accept();
                    if (accepted != null) {
                        accepted.close();
                        return Optional.of("canary: listener " + SocketAddresses.format((InetSocketAddress) listener.getLocalAddress())
                                + " accepted a connection: the handshake was completed, not left half-open");
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("canary: " + e);
        } finally {
            for (AutoCloseable c : held) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // loopback test sockets: nothing to do
                }
            }
        }
    }

    private Optional<String> checkEcho(Prober prober) {
        try {
            List<InetSocketAddress> targets = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                targets.add(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}), 7));
            }
            Answers answers = probeAll(prober, targets);
            if (answers.problem != null) {
                return Optional.of(answers.problem);
            }
            for (int i = 0; i < targets.size(); i++) {
                Optional<String> wrong = judge(answers.byIndex[i], targets.get(i), Outcome.OK, answers.wallMicros);
                if (wrong.isPresent()) {
                    return wrong;
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("canary: " + e);
        }
    }

    /** The answers to probes of {@code targets} sent at once, by index, and how long they took; or why they are unusable. */
    private static final class Answers {
        RttSample[] byIndex;
        long wallMicros;
        String problem;
    }

    private Answers probeAll(Prober prober, List<InetSocketAddress> targets) {
        Answers a = new Answers();
        List<String> addresses = targets.stream().map(SocketAddresses::format).collect(Collectors.toList());
        long start = System.nanoTime();
        List<RttSample> samples = prober.probe(addresses, ProbeOptions.builder().timeout(timeout).maxInFlight(targets.size()).build())
                .collectList().block(timeout.plusSeconds(5));
        a.wallMicros = (System.nanoTime() - start) / 1_000;
        if (samples == null || samples.size() != targets.size()) {
            a.problem = "canary: " + (samples == null ? 0 : samples.size()) + " answers to " + targets.size() + " probes";
            return a;
        }
        a.byIndex = new RttSample[targets.size()];
        for (RttSample s : samples) {
            if (s.index() < 0 || s.index() >= targets.size() || a.byIndex[s.index()] != null) {
                a.problem = "canary: an answer for probe #" + s.index() + " that was not asked for once: " + s;
                return a;
            }
            a.byIndex[s.index()] = s;
        }
        return a;
    }

    private Optional<String> judge(RttSample s, InetSocketAddress target, Outcome expected, long wallMicros) {
        String where = SocketAddresses.format(target);
        if (s.outcome() != expected) {
            return Optional.of("canary: " + where + " should be " + expected + ", the prober said " + s.outcome()
                    + s.error().map(e -> " (" + e + ")").orElse(""));
        }
        if (s.resolved().isPresent() && !s.resolved().get().equals(target)) {
            return Optional.of("canary: the answer for " + where + " names " + SocketAddresses.format(s.resolved().get())
                    + ": answers are matched to the wrong probes");
        }
        if (expected != Outcome.OK) {
            return Optional.empty();
        }
        if (s.handshake() != handshake && !(handshake == Handshake.HALF_OPEN && s.handshake() == Handshake.COMPLETED)) {
            return Optional.of("canary: " + where + " ended " + s.handshake() + ", expected " + handshake);
        }
        long rtt = s.rttMicros().orElse(-1);
        if (s.timing().orElse(Timing.USERSPACE) == Timing.KERNEL && (rtt <= 0 || rtt > wallMicros)) {
            return Optional.of("canary: the kernel's RTT for " + where + " reads " + rtt + " us, impossible for probes that took "
                    + wallMicros + " us: the kernel's figure is read wrong");
        }
        if (rtt < 0 || rtt > wallMicros) {
            return Optional.of("canary: the RTT for " + where + " reads " + rtt
                    + " us, impossible for probes that took " + wallMicros + " us");
        }
        return Optional.empty();
    }

    private static ServerSocketChannel listener(InetAddress loopback, List<AutoCloseable> held) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(); // IPv4: bound to 127.0.0.1 below
        held.add(s);
        s.bind(new InetSocketAddress(loopback, 0), 8);
        s.configureBlocking(false);
        return s;
    }

    /** A port bound but not listening: the kernel answers with RST. */
    private static InetSocketAddress refusing(InetAddress loopback, List<AutoCloseable> held) throws IOException {
        SocketChannel s = SocketChannel.open();
        held.add(s);
        s.bind(new InetSocketAddress(loopback, 0));
        return (InetSocketAddress) s.getLocalAddress();
    }
}
