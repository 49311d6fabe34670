package io.rttpick.selector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The group a choice is drawn from, computed over the servers that can be chosen alone: the best
 * of them sets the FAST and AVERAGE bounds. A ranking's own groups are relative to its best
 * server, which may be one that failed or left the fleet since; drawn against those, a fleet with
 * Amsterdam failed could put Iowa (127 ms) in SLOW beside Hong Kong (279 ms) and toss a coin
 * between them. Regrouped here, Iowa alone is FAST.
 */
final class DrawGroup {
    private final Bucket bucket;
    private final double loss;
    private final long bestMicros;
    private final List<RankedEndpoint> members;
    private final BucketPolicy policy;

    private DrawGroup(Bucket bucket, double loss, long bestMicros, List<RankedEndpoint> members, BucketPolicy policy) {
        this.bucket = bucket;
        this.loss = loss;
        this.bestMicros = bestMicros;
        this.members = members;
        this.policy = policy;
    }

    /**
     * The best group of {@code choosable} (entries with an RTT; the others are passed over): its
     * members with the least loss among them, in the caller's order. Null when none has an RTT.
     */
    static DrawGroup of(List<RankedEndpoint> choosable, BucketPolicy policy) {
        long best = Long.MAX_VALUE;
        for (RankedEndpoint r : choosable) {
            if (answered(r)) {
                best = Math.min(best, r.rttMicros().getAsLong());
            }
        }
        if (best == Long.MAX_VALUE) {
            return null;
        }
        Bucket top = null;
        double least = 2;
        for (RankedEndpoint r : choosable) {
            if (!answered(r)) {
                continue;
            }
            Bucket b = policy.classify(r.rttMicros().getAsLong(), best);
            if (top == null || b.compareTo(top) < 0 || (b == top && r.loss() < least)) {
                top = b;
                least = r.loss();
            }
        }
        List<RankedEndpoint> members = new ArrayList<>();
        for (RankedEndpoint r : choosable) {
            if (answered(r) && r.loss() == least && policy.classify(r.rttMicros().getAsLong(), best) == top) {
                members.add(r);
            }
        }
        members.sort(Comparator.comparingInt(RankedEndpoint::index));
        return new DrawGroup(top, least, best, List.copyOf(members), policy);
    }

    private static boolean answered(RankedEndpoint r) {
        return r.bucket().compareTo(Bucket.NONE) < 0 && r.rttMicros().isPresent();
    }

    /** The group, relative to the best choosable server. */
    Bucket bucket() {
        return bucket;
    }

    /** The best RTT in the group (its members with the least loss): hysteresis keeps a server within a margin of it. */
    long fastestMemberMicros() {
        long fastest = Long.MAX_VALUE;
        for (RankedEndpoint r : members) {
            fastest = Math.min(fastest, r.rttMicros().getAsLong());
        }
        return fastest;
    }

    /** The least loss in the group: its members all have it. */
    double loss() {
        return loss;
    }

    List<RankedEndpoint> members() {
        return members;
    }

    /**
     * The members that are as good as the fastest of them: not at least 10 ms and a third slower
     * (Tailscale's rule for leaving its home region). The relative groups' FAST band is at least
     * 20 ms wide; near a server 1 ms away it holds one 15 ms away. A draw may land there (the
     * group is the group: load spreads), but the fleet selector does not keep its current server
     * there by hysteresis once something as much better is known.
     */
    List<RankedEndpoint> nearBest() {
        long fastest = fastestMemberMicros();
        List<RankedEndpoint> near = new ArrayList<>(members.size());
        for (RankedEndpoint r : members) {
            if (!muchSlower(r.rttMicros().getAsLong(), fastest)) {
                near.add(r);
            }
        }
        return near;
    }

    /** At least 10 ms and a third slower than {@code bestMicros}. */
    static boolean muchSlower(long micros, long bestMicros) {
        return micros - bestMicros >= 10_000 && bestMicros * 3 <= micros * 2;
    }

    /** {@code r}'s group relative to the same best server. */
    Bucket bucketOf(RankedEndpoint r) {
        return policy.classify(r.rttMicros().getAsLong(), bestMicros);
    }
}
