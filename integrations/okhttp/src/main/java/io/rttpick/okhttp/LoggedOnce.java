package io.rttpick.okhttp;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A fault the app should hear of once, not at every lookup: the integration then steps aside. */
final class LoggedOnce {
    private static final Logger LOG = LoggerFactory.getLogger("io.rttpick.okhttp");
    private final AtomicBoolean said = new AtomicBoolean();

    /** Says {@code what} (and {@code cause}, when not null) the first time only. */
    void warn(String what, Throwable cause) {
        if (said.compareAndSet(false, true)) {
            LOG.warn("rttpick-okhttp: {}: the resolver's order is handed over as it came (said once){}", what,
                    cause == null ? "" : ": " + cause);
        }
    }
}
