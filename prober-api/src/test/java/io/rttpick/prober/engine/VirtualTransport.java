package io.rttpick.prober.engine;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.Timing;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.AttemptResult;
import io.rttpick.prober.spi.ConnectClock;
import io.rttpick.prober.spi.NoRoomException;
import io.rttpick.prober.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A scripted world on a {@link VirtualClock}: the port of an address says when it answers (port
 * {@code N} after {@code N} ms; port {@link #NEVER} never; port {@link #REFUSED} fails at the
 * connect call), and at most {@link #room} connects may be open. Every call is logged with the
 * virtual millisecond it came at.
 *
 * <p>While time {@linkplain #autoAdvance(boolean) runs}, a wait moves the clock at once to the next
 * answer or to the end of the wait, so a test of seconds runs in microseconds; while it is frozen,
 * a wait returns only on a wake-up, and nothing expires.
 */
final class VirtualTransport implements Transport<Integer> {
    static final int NEVER = 9999;
    static final int REFUSED = 9998;

    private final VirtualClock clock;
    private final List<String> log = new ArrayList<>();
    /** Open connects and the instant each answers; -1: never. */
    private final Map<Integer, Long> open = new LinkedHashMap<>();
    private int room = Integer.MAX_VALUE;
    private int mostOpen;
    private int nextId;
    private boolean woken;
    private boolean autoAdvance = true;
    private boolean closed;

    VirtualTransport(VirtualClock clock) {
        this.clock = clock;
    }

    synchronized VirtualTransport room(int room) {
        this.room = room;
        return this;
    }

    synchronized void autoAdvance(boolean on) {
        autoAdvance = on;
        notifyAll();
    }

    @Override
    public synchronized Integer connect(InetSocketAddress target, InetAddress localAddress, ConnectClock connectClock)
            throws AttemptFailedException, NoRoomException {
        int port = target.getPort();
        if (open.size() >= room) {
            record("no room for :" + port);
            throw new NoRoomException("no room (" + open.size() + " open)");
        }
        connectClock.mark();
        if (port == REFUSED) {
            record("refused :" + port);
            throw new AttemptFailedException(Outcome.REFUSED, "connection refused");
        }
        int id = nextId++;
        open.put(id, port == NEVER ? -1 : clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(port));
        mostOpen = Math.max(mostOpen, open.size());
        record("connect #" + id + " :" + port);
        return id;
    }

    @Override
    public void poll(long timeoutNanos, ReadyHandler<Integer> ready) {
        List<Integer> due = new ArrayList<>();
        long at;
        synchronized (this) {
            long now = clock.nanoTime();
            long next = nextAnswer();
            if (timeoutNanos != 0 && !woken) {
                if (autoAdvance) {
                    long until = timeoutNanos < 0 ? next : next < 0 ? now + timeoutNanos : Math.min(next, now + timeoutNanos);
                    if (until >= 0) {
                        clock.advanceTo(until);
                    } else {
                        waitForWakeup();
                    }
                } else {
                    waitForWakeup();
                }
            }
            woken = false;
            at = clock.nanoTime();
            for (Map.Entry<Integer, Long> e : open.entrySet()) {
                if (e.getValue() >= 0 && e.getValue() <= at) {
                    due.add(e.getKey());
                }
            }
        }
        due.forEach(id -> ready.ready(id, at));
    }

    private long nextAnswer() {
        long next = -1;
        for (long answersAt : open.values()) {
            if (answersAt >= 0 && (next < 0 || answersAt < next)) {
                next = answersAt;
            }
        }
        return next;
    }

    private void waitForWakeup() {
        try {
            wait(50); // real time, bounded: a wake-up notifies
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized AttemptResult finish(Integer connection, long startNanos, long readyNanos) {
        open.remove(connection);
        record("finish #" + connection);
        return AttemptResult.ok((readyNanos - startNanos) / 1000, Timing.USERSPACE, Handshake.HALF_OPEN);
    }

    @Override
    public synchronized void abort(Integer connection) {
        open.remove(connection);
        record("abort #" + connection);
    }

    @Override
    public synchronized void wakeup() {
        woken = true;
        notifyAll();
    }

    @Override
    public synchronized void close() {
        closed = true;
        record("close");
    }

    private void record(String call) {
        log.add(clock.millis() + " " + call);
    }

    synchronized List<String> log() {
        return new ArrayList<>(log);
    }

    /** The virtual milliseconds of the calls that start with {@code call}. */
    synchronized List<Long> times(String call) {
        List<Long> times = new ArrayList<>();
        for (String line : log) {
            int space = line.indexOf(' ');
            if (line.startsWith(call, space + 1)) {
                times.add(Long.parseLong(line.substring(0, space)));
            }
        }
        return times;
    }

    synchronized int openNow() {
        return open.size();
    }

    synchronized int mostOpen() {
        return mostOpen;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** How many calls start with {@code call}. */
    int count(String call) {
        return times(call).size();
    }
}
