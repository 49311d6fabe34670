package io.rttpick.prober.spi;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wakeup of a transport's wait (an eventfd, a kqueue user event, a pipe), safe to signal
 * from any thread and closed once: after {@link #close}, a late signal does nothing, because the
 * descriptor number may already belong to someone else.
 */
public final class WakeupSignal {
    private static final Logger log = LoggerFactory.getLogger(WakeupSignal.class);

    /** A native action that may fail. */
    @FunctionalInterface
    public interface Action {
        void run() throws IOException;
    }

    private final String name;
    private final Action signal;
    private final Action release;
    private boolean closed;

    /**
     * @param name what is woken, for the log
     * @param signal makes the wait return
     * @param release frees the descriptor(s) behind it
     */
    public WakeupSignal(String name, Action signal, Action release) {
        this.name = name;
        this.signal = signal;
        this.release = release;
    }

    public synchronized void signal() {
        if (closed) {
            return;
        }
        try {
            signal.run();
        } catch (IOException e) {
            log.warn("cannot wake the {} loop", name, e);
        }
    }

    /** Releases it once; true the first time. */
    public synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        try {
            release.run();
        } catch (IOException e) {
            log.error("releasing the {} wakeup failed", name, e);
        }
        return true;
    }
}
