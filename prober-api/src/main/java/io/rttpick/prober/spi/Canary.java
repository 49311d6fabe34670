package io.rttpick.prober.spi;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
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
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A native prober proves itself before it is trusted: real probes, at once, of two listeners it
 * opens on loopback and of a port that refuses, each answer matched to its own target. A wrong
 * struct layout, a wrong offset or a misrouted event shows up here as a timeout, an answer for
 * the wrong target or a refusal in the wrong place, not as a wrong RTT in a user's choice. For a
 * half-open prober no listener may have accepted a connection; for kernel timing the RTT must be
 * possible (above zero, within the time the probes took).
 *
 * <p>A half-open prober holds the handshake's last ACK back with the kernel's delayed ACK (at least
 * 40 ms on Linux, at most 200 ms) and closes first. On a slow machine (qemu, a busy phone) the close
 * can come after that timer: the kernel sends the ACK, the listener accepts, and that is about the
 * machine's speed, not the prober. So an accepted connection fails the canary only when its probe
 * closed well inside the window ({@link #LATE_CLOSE}: the prober sent the ACK itself); a late one is
 * tried again ({@link #ROUNDS} rounds in all) and, if every round is late, the prober is trusted with
 * a {@linkplain Verdict#note() note} that says so.
 */
public final class Canary {
    /** A close this long after the SYN-ACK may have let the delayed ACK out: half of Linux's 40 ms minimum. */
    public static final Duration LATE_CLOSE = Duration.ofMillis(20);
    /** Rounds a canary whose handshakes completed only after late closes is run at most: the first and two more. */
    public static final int ROUNDS = 3;

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

    /** What the canary found: a problem (not trusted), or trust with an optional note. */
    public static final class Verdict {
        private final String problem;
        private final String note;

        private Verdict(String problem, String note) {
            this.problem = problem;
            this.note = note;
        }

        static Verdict trusted(String note) {
            return new Verdict(null, note);
        }

        static Verdict failed(String problem) {
            return new Verdict(problem, null);
        }

        /** Why the prober cannot be trusted here; empty when it can. */
        public Optional<String> problem() {
            return Optional.ofNullable(problem);
        }

        /** Something a trusted prober's user should know (the machine too slow to keep every handshake half-open). */
        public Optional<String> note() {
            return Optional.ofNullable(note);
        }

        /** The availability this verdict makes for the prober {@code name}. */
        public Availability availability(String name) {
            return problem != null ? Availability.of(name, new ProberUnavailableException(problem))
                    : Availability.trusted(name, note);
        }
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
        return verdict(prober).problem();
    }

    /** The canary's verdict on {@code prober}, with the rounds a slow close takes. The prober is not closed. */
    public Verdict verdict(Prober prober) {
        if (echo) {
            return checkEcho(prober).map(Verdict::failed).orElseGet(() -> Verdict.trusted(null));
        }
        Round round = null;
        for (int i = 1; i <= ROUNDS; i++) {
            round = round(prober);
            if (round.problem != null) {
                return Verdict.failed(round.problem);
            }
            if (round.lateCompletion == null) {
                return Verdict.trusted(null);
            }
        }
        return Verdict.trusted("the canary's handshakes were completed in " + ROUNDS + " rounds of " + ROUNDS
                + ", each after its probe closed late (last: " + round.lateCompletion + "): this machine is at times too slow"
                + " to close before the kernel's delayed ACK, and a probe may then complete the handshake (the server sees"
                + " a connection, reset at once)");
    }

    /** One round's outcome: a problem, a handshake completed after a late close (worth another round), or neither. */
    private static final class Round {
        String problem;
        String lateCompletion;

        static Round failed(String problem) {
            Round r = new Round();
            r.problem = problem;
            return r;
        }
    }

    private Round round(Prober prober) {
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
                return Round.failed(answers.problem);
            }
            for (int i = 0; i < 3; i++) {
                Optional<String> wrong = judge(answers.byIndex[i], targets.get(i), i < 2 ? Outcome.OK : Outcome.REFUSED,
                        answers.wallMicros);
                if (wrong.isPresent()) {
                    return Round.failed(wrong.get());
                }
            }
            Round round = new Round();
            if (handshake == Handshake.HALF_OPEN) {
                List<ServerSocketChannel> listeners = List.of(first, second);
                for (int i = 0; i < listeners.size(); i++) {
                    SocketChannel accepted = listeners.get(i).accept();
                    if (accepted == null) {
                        continue;
                    }
                    accepted.close();
                    String where = SocketAddresses.format(targets.get(i));
                    long closedAfterMicros = answers.closedAfterSynAckMicros(i);
                    if (closedAfterMicros < LATE_CLOSE.toNanos() / 1_000) {
                        return Round.failed("canary: listener " + where + " accepted a connection although the probe closed within "
                                + millis(closedAfterMicros) + " after the SYN-ACK, inside the kernel's delayed-ACK window:"
                                + " the handshake was completed, not left half-open");
                    }
                    round.lateCompletion = where + " accepted, the probe closed at most " + millis(closedAfterMicros)
                            + " after the SYN-ACK";
                }
            }
            return round;
        } catch (IOException | RuntimeException e) {
            return Round.failed("canary: " + e);
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

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
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
        long[] arrivedNanos;
        long startNanos;
        long wallMicros;
        String problem;

        /**
         * At most how long after its SYN-ACK probe {@code i} was closed: its sample arrives after the
         * close, and every probe was launched at the start. An over-estimate (launch and delivery
         * included), so a slow machine is never taken for a prober that completes the handshake.
         */
        long closedAfterSynAckMicros(int i) {
            return (arrivedNanos[i] - startNanos) / 1_000 - byIndex[i].rttMicros().orElse(0);
        }
    }

    private Answers probeAll(Prober prober, List<InetSocketAddress> targets) {
        Answers a = new Answers();
        List<String> addresses = targets.stream().map(SocketAddresses::format).collect(Collectors.toList());
        long[] arrived = new long[targets.size()];
        long start = System.nanoTime();
        List<RttSample> samples = prober.probe(addresses, ProbeOptions.builder().timeout(timeout).maxInFlight(targets.size()).build())
                .doOnNext(s -> {
                    if (s.index() >= 0 && s.index() < arrived.length) {
                        arrived[s.index()] = System.nanoTime();
                    }
                })
                .collectList().block(timeout.plusSeconds(5));
        a.startNanos = start;
        a.arrivedNanos = arrived;
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
