package io.rttpick.selector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ranking with some servers measured again (a confirmation of the best few): their new entries
 * replace the old ones, and every group is drawn again relative to the new best.
 */
final class RankingMerge {
    private RankingMerge() {
    }

    static Ranking merged(Ranking base, Ranking update, Fleet fleet, BucketPolicy buckets) {
        Map<String, RankedEndpoint> byKey = new LinkedHashMap<>();
        for (RankedEndpoint e : base.entries()) {
            byKey.put(fleet.keyOfProbed(e.address()), e);
        }
        for (RankedEndpoint e : update.entries()) {
            if (e.bucket() != Bucket.MEASURING) {
                String key = fleet.keyOfProbed(e.address());
                RankedEndpoint old = byKey.get(key);
                byKey.put(key, old == null ? e : e.at(old.index(), old.address()));
            }
        }
        long best = Long.MAX_VALUE;
        for (RankedEndpoint e : byKey.values()) {
            if (e.rttMicros().isPresent()) {
                best = Math.min(best, e.rttMicros().getAsLong());
            }
        }
        List<RankedEndpoint> entries = new ArrayList<>();
        for (RankedEndpoint e : byKey.values()) {
            entries.add(e.withBucket(e.rttMicros().isPresent() ? buckets.classify(e.rttMicros().getAsLong(), best) : Bucket.NONE));
        }
        entries.sort(RankedEndpoint.ORDER);
        return new Ranking(entries, base.selection(), base.complete() && update.complete());
    }
}
