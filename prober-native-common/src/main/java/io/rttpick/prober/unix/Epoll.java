package io.rttpick.prober.unix;

import io.rttpick.prober.spi.WakeupSignal;
import java.util.concurrent.TimeUnit;
import jnr.ffi.Pointer;

/**
 * An epoll set with an eventfd that wakes its wait from any thread: what the Linux TCP prober and
 * the ICMP prober wait on. Its native buffers are its own and go when it closes. The event-loop
 * thread calls everything but {@link #wakeup}.
 */
public final class Epoll {
    // <sys/epoll.h> (uapi linux/eventpoll.h)
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    /** Reported once, then disarmed until {@link #rearm}: a socket kept for later stays quiet. */
    public static final int EPOLLONESHOT = 1 << 30;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_MOD = 3;
    // EPOLL_CLOEXEC and EFD_CLOEXEC are O_CLOEXEC, EFD_NONBLOCK is O_NONBLOCK
    public static final int EPOLL_CLOEXEC = jnr.constants.platform.linux.OpenFlags.O_CLOEXEC.intValue();
    public static final int EFD_NONBLOCK = jnr.constants.platform.linux.OpenFlags.O_NONBLOCK.intValue();

    /** One ready descriptor, with the events epoll reported for it. */
    @FunctionalInterface
    public interface ReadyHandler {
        void ready(int fd, int events, long nowNanos) throws NativeCallException;
    }

    private final EpollEventLayout layout;
    private final int maxEvents;
    private final NativeArena arena = new NativeArena();
    private final int epfd;
    private final int wakeFd;
    private final WakeupSignal wake;
    // event-loop thread only
    private final Pointer events;
    private final Pointer eventBuffer;
    private final Pointer drained;
    // read-only after construction, so any thread may write it to the eventfd
    private final Pointer one;

    /** With {@code layout} for struct epoll_event: this CPU's, or a wrong one on purpose (the canary's tests). */
    public Epoll(EpollEventLayout layout, int maxEvents, String name) throws NativeCallException {
        this.layout = layout;
        this.maxEvents = maxEvents;
        this.events = arena.allocate(maxEvents * layout.size);
        this.eventBuffer = arena.allocate(layout.size);
        this.drained = arena.allocate(8);
        this.one = arena.allocate(8);
        one.putLong(0, 1);
        int epoll;
        try {
            epoll = Native.epollCreate(EPOLL_CLOEXEC);
        } catch (NativeCallException e) {
            arena.close();
            throw e;
        }
        this.epfd = epoll;
        int wakeup;
        try {
            wakeup = Native.eventfd(EPOLL_CLOEXEC | EFD_NONBLOCK);
        } catch (NativeCallException e) {
            Native.closeQuietly(epfd);
            arena.close();
            throw e;
        }
        try {
            add(wakeup, EPOLLIN);
        } catch (NativeCallException e) {
            Native.closeQuietly(wakeup);
            Native.closeQuietly(epfd);
            arena.close();
            throw e;
        }
        this.wakeFd = wakeup;
        this.wake = new WakeupSignal(name, () -> Native.eventfdSignal(wakeFd, one), () -> Native.close(wakeFd));
    }

    public void add(int fd, int eventMask) throws NativeCallException {
        layout.put(eventBuffer, 0, eventMask, fd);
        Native.epollCtl(epfd, EPOLL_CTL_ADD, fd, eventBuffer, "epoll_ctl(ADD)");
    }

    /** Arms a registered {@code fd} again for {@code eventMask} (after EPOLLONESHOT reported it). */
    public void rearm(int fd, int eventMask) throws NativeCallException {
        layout.put(eventBuffer, 0, eventMask, fd);
        Native.epollCtl(epfd, EPOLL_CTL_MOD, fd, eventBuffer, "epoll_ctl(MOD)");
    }

    /**
     * Waits at most {@code timeoutNanos} (0: not at all; negative: until something is ready) and
     * hands each ready descriptor but the wakeup to {@code ready}; a wakeup is drained here.
     */
    public void await(long timeoutNanos, ReadyHandler ready) throws NativeCallException {
        int n = Native.epollWait(epfd, events, maxEvents, millis(timeoutNanos));
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int fd = layout.fd(events, i);
            if (fd == wakeFd) {
                Native.eventfdDrain(wakeFd, drained);
            } else {
                ready.ready(fd, layout.events(events, i), now);
            }
        }
    }

    /** epoll_wait's milliseconds for a wait in nanoseconds, rounded up: never a busy 0 for a short wait. */
    static int millis(long timeoutNanos) {
        return timeoutNanos < 0 ? -1
                : timeoutNanos == 0 ? 0
                : (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
    }

    /** Makes the wait return; any thread. */
    public void wakeup() {
        wake.signal();
    }

    /** Closes the set, its wakeup and its buffers, once; true the first time. */
    public boolean close() {
        // after the wakeup is closed no thread writes from `one` any more: the buffers can go
        if (!wake.close()) {
            return false;
        }
        Native.closeQuietly(epfd);
        arena.close();
        return true;
    }

}
