package io.rttpick.selector;

/**
 * Where {@link FleetSelector} keeps the rankings it remembers per network, across restarts. An
 * SPI: the selector calls {@link #load()} once and {@link #save} after changes, both on its store
 * scheduler (never the caller's thread, for Android's StrictMode), one call at a time. The
 * selector itself depends on no storage library; {@code rttpick-selector-store} has a file store.
 */
public interface RankingStore {

    /** What is stored; {@link RememberedRankings#EMPTY} when nothing is (or it cannot be read: say so in a log line, never throw). */
    RememberedRankings load();

    /**
     * Stores {@code rankings}; a store shared between processes merges what another wrote since
     * ({@link RememberedRankings#mergedWith}).
     */
    void save(RememberedRankings rankings);

    /** Kept in this process only: forgotten when it ends. */
    static RankingStore inMemory() {
        return new InMemoryRankingStore();
    }
}
