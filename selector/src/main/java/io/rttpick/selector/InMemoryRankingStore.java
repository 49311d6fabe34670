package io.rttpick.selector;

/** {@link RankingStore#inMemory()}: the last saved rankings, in a field. */
final class InMemoryRankingStore implements RankingStore {
    private volatile RememberedRankings kept = RememberedRankings.EMPTY;

    @Override
    public RememberedRankings load() {
        return kept;
    }

    @Override
    public void save(RememberedRankings rankings) {
        kept = rankings;
    }
}
