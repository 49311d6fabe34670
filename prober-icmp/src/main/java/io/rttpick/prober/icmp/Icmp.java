package io.rttpick.prober.icmp;

import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.engine.EventLoopProber;
import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.spi.Canary;
import io.rttpick.prober.unix.LinuxSocketConstants;
import io.rttpick.prober.unix.Native;
import io.rttpick.prober.unix.NativeArena;
import io.rttpick.prober.unix.NativeCallException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Whether unprivileged ICMP works here, judged once by opening a ping socket. Linux allows it
 * only to processes whose group is in {@code net.ipv4.ping_group_range} (per network namespace;
 * "1 0", nobody, by default on many distributions); Android's sandbox forbids it.
 */
public final class Icmp {
    static final Path PING_GROUP_RANGE = Path.of("/proc/sys/net/ipv4/ping_group_range");
    static final Duration CANARY_TIMEOUT = Duration.ofSeconds(2);
    private static final Availability AVAILABILITY = Availability.of("icmp", check());

    private Icmp() {
    }

    /** Whether {@code icmp} can run here; {@link #availability()} says why not (Netty's {@code Epoll} model). */
    public static boolean isAvailable() {
        return AVAILABILITY.isAvailable();
    }

    /** The judgement, made once: its {@link Availability#cause() cause} and {@link Availability#ensure()}. */
    public static Availability availability() {
        return AVAILABILITY;
    }

    private static Throwable check() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new ProberUnavailableException("this plugin implements ICMP ping sockets for Linux only; this is " + os);
        }
        if (System.getProperty("java.vm.vendor", "").toLowerCase(Locale.ROOT).contains("android")) {
            return new ProberUnavailableException("Android's sandbox forbids ICMP sockets to apps (and JNR does not run there)");
        }
        try {
            Native.load();
            int fd;
            try {
                fd = IcmpNative.echoSocket(LinuxSocketConstants.AF_INET);
            } catch (NativeCallException e) {
                if (e.errno() == LinuxSocketConstants.EACCES || e.errno() == LinuxSocketConstants.EPERM) {
                    return new ProberUnavailableException(forbiddenText());
                }
                throw e;
            }
            try (NativeArena arena = new NativeArena()) {
                new IcmpNative(arena).enableReceiveTimestamps(fd);
            } finally {
                Native.close(fd);
            }
            new IcmpTransport().close();
        } catch (Throwable t) {
            return new ProberUnavailableException("native calls failed: " + t, t);
        }
        return canary(CANARY_TIMEOUT);
    }

    /** Echo requests to three loopback addresses at once, each answer matched to its own (see {@link Canary#echo}). */
    static Throwable canary(Duration timeout) {
        try (Prober prober = new EventLoopProber<>(IcmpProberProvider.NAME, new IcmpTransport())) {
            return Canary.echo(timeout).check(prober).map(why -> (Throwable) new ProberUnavailableException(why)).orElse(null);
        } catch (Throwable t) {
            return new ProberUnavailableException("canary: " + t, t);
        }
    }

    /** Why the system refuses a ping socket, naming the setting and its value. */
    static String forbiddenText() {
        String range;
        try {
            // not Files.readString nor Files.newInputStream: they trust the size procfs reports and
            // return "1" of "1\t0"; FileInputStream reads to the end
            try (InputStream in = new FileInputStream(PING_GROUP_RANGE.toFile())) {
                range = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().replaceAll("\\s+", " ");
            }
        } catch (IOException | RuntimeException e) {
            range = "unreadable: " + e.getMessage();
        }
        return "unprivileged ICMP is not allowed: this process's group is outside net.ipv4.ping_group_range (\""
                + range + "\" here; allow it with sysctl -w net.ipv4.ping_group_range=\"0 2147483647\")";
    }
}
