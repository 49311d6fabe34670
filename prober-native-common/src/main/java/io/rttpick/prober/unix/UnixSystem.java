package io.rttpick.prober.unix;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * The two systems the native probers speak to, with what differs between them: libc's name,
 * errno numbering and names, address family values and the sockaddr layout. Values come from
 * jnr-constants' tables, generated from each system's real headers, never typed by hand.
 */
public enum UnixSystem {
    LINUX("libc.so.6", name -> jnr.constants.platform.linux.Errno.valueOf(name).intValue(),
            jnr.constants.platform.linux.Errno.values(),
            jnr.constants.platform.linux.AddressFamily.AF_INET.intValue(),
            jnr.constants.platform.linux.AddressFamily.AF_INET6.intValue(), SockAddr.Layout.LINUX,
            jnr.constants.platform.linux.SocketLevel.SOL_SOCKET.intValue(),
            jnr.constants.platform.linux.SocketOption.SO_ERROR.intValue(),
            jnr.constants.platform.linux.SocketOption.SO_LINGER.intValue()),
    // "c" finds libSystem's libc in the dyld cache
    DARWIN("c", name -> jnr.constants.platform.darwin.Errno.valueOf(name).intValue(),
            jnr.constants.platform.darwin.Errno.values(),
            jnr.constants.platform.darwin.AddressFamily.AF_INET.intValue(),
            jnr.constants.platform.darwin.AddressFamily.AF_INET6.intValue(), SockAddr.Layout.BSD,
            jnr.constants.platform.darwin.SocketLevel.SOL_SOCKET.intValue(),
            jnr.constants.platform.darwin.SocketOption.SO_ERROR.intValue(),
            jnr.constants.platform.darwin.SocketOption.SO_LINGER.intValue());

    /** By soname on Linux: a search by name may pick another architecture's libc where multiarch is installed. */
    final String libraryName;
    private final ToIntFunction<String> errno;
    private final jnr.constants.Constant[] errnos;
    public final int afInet;
    public final int afInet6;
    private final SockAddr.Layout sockaddrLayout;
    public final int solSocket;
    public final int soError;
    public final int soLinger;
    private final ErrnoOutcomes outcomes;
    private final int eintr;
    private final int eagain;
    private final int einprogress;

    UnixSystem(String libraryName, ToIntFunction<String> errno, jnr.constants.Constant[] errnos, int afInet, int afInet6,
            SockAddr.Layout sockaddrLayout, int solSocket, int soError, int soLinger) {
        this.solSocket = solSocket;
        this.soError = soError;
        this.soLinger = soLinger;
        this.libraryName = libraryName;
        this.errno = errno;
        this.errnos = errnos;
        this.afInet = afInet;
        this.afInet6 = afInet6;
        this.sockaddrLayout = sockaddrLayout;
        this.outcomes = new ErrnoOutcomes(errno);
        this.eintr = errno.applyAsInt("EINTR");
        this.eagain = errno.applyAsInt("EAGAIN");
        this.einprogress = errno.applyAsInt("EINPROGRESS");
    }

    /** The system this JVM runs on, or null when it is neither. */
    public static UnixSystem current() {
        return of(System.getProperty("os.name", ""));
    }

    /** The system an {@code os.name} names, or null when it is neither. */
    public static UnixSystem of(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return LINUX;
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return DARWIN;
        }
        return null;
    }

    /** An errno's value by its symbolic name ("ECONNREFUSED"). */
    public int errno(String name) {
        return errno.applyAsInt(name);
    }

    /** The symbolic name of an errno value, for messages: {@code ECONNREFUSED}. */
    public String errnoName(int value) {
        for (jnr.constants.Constant e : errnos) {
            if (e.defined() && e.intValue() == value) {
                return e.name();
            }
        }
        return "errno " + value;
    }

    public boolean isInterrupted(int value) {
        return value == eintr;
    }

    public boolean isWouldBlock(int value) {
        return value == eagain;
    }

    public boolean isInProgress(int value) {
        return value == einprogress;
    }

    /** errno to outcome with this system's numbering. */
    public ErrnoOutcomes outcomes() {
        return outcomes;
    }

    public SockAddr.Layout sockaddrLayout() {
        return sockaddrLayout;
    }

    /** AF_INET or AF_INET6 for {@code address}. */
    public int family(InetAddress address) {
        return address instanceof Inet6Address ? afInet6 : afInet;
    }
}
