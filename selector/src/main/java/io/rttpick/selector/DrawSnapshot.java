package io.rttpick.selector;

import java.util.Map;

/**
 * The policy's drawable and kept servers as they stood at its last change, immutable: what a
 * probe run reads from its own thread for its early decision (and a re-decision), with no lock.
 */
final class DrawSnapshot implements DrawRules {
    private final Fleet fleet;
    private final Map<String, Long> coolingUntil;
    private final String kept;
    private final long marginMicros;

    DrawSnapshot(Fleet fleet, Map<String, Long> coolingUntil, String kept, long marginMicros) {
        this.fleet = fleet;
        this.coolingUntil = Map.copyOf(coolingUntil);
        this.kept = kept;
        this.marginMicros = marginMicros;
    }

    @Override
    public boolean drawable(String address, long nowNanos) {
        String key = fleet.keyOfProbed(address);
        if (!fleet.contains(key)) {
            return false;
        }
        Long until = coolingUntil.get(key);
        return until == null || until - nowNanos <= 0;
    }

    @Override
    public String keptServer() {
        return kept;
    }

    @Override
    public long keepMarginMicros() {
        return marginMicros;
    }
}
