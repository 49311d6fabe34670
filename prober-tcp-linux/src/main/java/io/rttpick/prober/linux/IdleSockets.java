package io.rttpick.prober.linux;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Probe sockets kept for the next probe of their family instead of closed: a socket whose
 * handshake was answered is reset with {@code connect(AF_UNSPEC)} (the same RST a close sends)
 * and can connect again. That saves the kernel's socket and descriptor set-up and tear-down,
 * the two socket options that persist, and epoll's registration: about a third of its work per
 * probe. At most {@link #MAX_PER_FAMILY} each; event-loop thread only.
 */
final class IdleSockets {
    /** Enough to carry a burst of answers into the launches that follow; a small share of any fd limit. */
    static final int MAX_PER_FAMILY = 64;

    private final ArrayDeque<Integer> v4 = new ArrayDeque<>();
    private final ArrayDeque<Integer> v6 = new ArrayDeque<>();

    /** A kept socket of that family, or -1. */
    int take(boolean ipv6) {
        Integer fd = (ipv6 ? v6 : v4).pollLast(); // the most recently used: its memory is the warmest
        return fd == null ? -1 : fd;
    }

    /** Keeps {@code fd}; false when full (the caller closes it then). */
    boolean offer(boolean ipv6, int fd) {
        ArrayDeque<Integer> kept = ipv6 ? v6 : v4;
        if (kept.size() >= MAX_PER_FAMILY) {
            return false;
        }
        kept.addLast(fd);
        return true;
    }

    boolean isEmpty() {
        return v4.isEmpty() && v6.isEmpty();
    }

    /** Hands every kept socket to {@code close} and forgets them. */
    void release(IntConsumer close) {
        for (ArrayDeque<Integer> kept : List.of(v4, v6)) {
            for (Integer fd; (fd = kept.pollFirst()) != null; ) {
                close.accept(fd);
            }
        }
    }
}
