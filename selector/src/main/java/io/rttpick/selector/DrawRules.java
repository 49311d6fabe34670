package io.rttpick.selector;

/**
 * What a chooser draws from, as far as an early decision must be certain of it: which servers
 * may be drawn now, and which server in use is kept while it stays within a margin of the best.
 * {@link RttSelector} draws from every server and keeps none; {@link FleetSelector} leaves out
 * servers cooling off and keeps the current one (through {@link FleetPolicy}'s {@link DrawSnapshot}). Read from the probe run's
 * thread: implementations are thread-safe.
 */
interface DrawRules {

    /** Every server may be drawn, none is kept. */
    DrawRules ANY = new DrawRules() {
        @Override
        public boolean drawable(String address, long nowNanos) {
            return true;
        }

        @Override
        public String keptServer() {
            return null;
        }

        @Override
        public long keepMarginMicros() {
            return 0;
        }
    };

    /** Whether {@code address} may be chosen at {@code nowNanos}. */
    boolean drawable(String address, long nowNanos);

    /** The server in use that hysteresis may keep, or null. */
    String keptServer();

    /** How far behind the best the kept server may be and still be kept. */
    long keepMarginMicros();
}
