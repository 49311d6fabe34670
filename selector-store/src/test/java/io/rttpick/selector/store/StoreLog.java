package io.rttpick.selector.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The lines the rankings file store logs (java.util.logging, io.rttpick.selector.store), kept instead of printed while started. */
final class StoreLog extends Handler {
    private final Logger log = Logger.getLogger("io.rttpick.selector.store");
    /** What was logged since {@link #start()}; tests clear it between steps. */
    final List<String> lines = new CopyOnWriteArrayList<>();

    StoreLog start() {
        log.addHandler(this);
        log.setUseParentHandlers(false);
        return this;
    }

    void stop() {
        log.removeHandler(this);
        log.setUseParentHandlers(true);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
