package io.rttpick.selector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A confirmation of a remembered ranking: which servers it probes, and what its answers are
 * checked against. It contradicts the memory when the remembered best, or the current server,
 * did not answer, or when another server answered at least 10 ms and a third faster than the
 * current one where the memory did not expect it (a server probed because it moved is expected
 * to differ: its figure is simply taken in).
 */
final class Confirmation {
    private final List<String> keys;
    private final String rememberedBest;
    private final Set<String> moved;
    private final Map<String, Long> remembered;

    private Confirmation(List<String> keys, String rememberedBest, Set<String> moved, Map<String, Long> remembered) {
        this.keys = keys;
        this.rememberedBest = rememberedBest;
        this.moved = moved;
        this.remembered = remembered;
    }

    /**
     * @param keys the servers it probes
     * @param ranking the remembered ranking it confirms
     * @param moved the servers that moved since this network measured them
     * @param unusable which servers may not be chosen now (cooling off)
     */
    static Confirmation of(List<String> keys, Ranking ranking, Fleet fleet, Set<String> moved, Predicate<String> unusable) {
        String best = null;
        for (RankedEndpoint e : ranking.entries()) {
            String key = fleet.keyOfProbed(e.address());
            if (e.rttMicros().isPresent() && fleet.contains(key) && !unusable.test(key)) {
                best = key;
                break;
            }
        }
        return new Confirmation(keys, best, moved, rttByKey(ranking, fleet));
    }

    /** Whether {@code probed}, this confirmation's answers, contradict the memory, {@code current} in use. */
    boolean contradictedBy(Ranking probed, Fleet fleet, String current) {
        Map<String, Long> rtt = rttByKey(probed, fleet);
        if (rememberedBest != null && keys.contains(rememberedBest) && !rtt.containsKey(rememberedBest)) {
            return true;
        }
        if (current == null || !keys.contains(current)) {
            return false;
        }
        Long mine = rtt.get(current);
        if (mine == null) {
            return true;
        }
        Long mineBefore = remembered.get(current);
        for (Map.Entry<String, Long> other : rtt.entrySet()) {
            Long theirsBefore = remembered.get(other.getKey());
            // news only: memory knew it faster already (the choice stands by the groups), or it moved
            boolean expected = moved.contains(other.getKey())
                    || (mineBefore != null && theirsBefore != null && DrawGroup.muchSlower(mineBefore, theirsBefore));
            if (!expected && DrawGroup.muchSlower(mine, other.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Long> rttByKey(Ranking r, Fleet fleet) {
        Map<String, Long> rtt = new HashMap<>();
        for (RankedEndpoint e : r.entries()) {
            if (e.rttMicros().isPresent()) {
                rtt.put(fleet.keyOfProbed(e.address()), e.rttMicros().getAsLong());
            }
        }
        return rtt;
    }
}
