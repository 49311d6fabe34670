package io.rttpick.selector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link FleetSelector}'s rules apart from its Reactor plumbing: the fleet, failed servers
 * cooling off, the server in use and hysteresis, and the sentence that says why a choice was
 * made. The probe run reads {@link #drawable} and {@link #keptServer} from its own thread, so the
 * state they read is published safely; every change is made under the fleet selector's lock.
 */
final class FleetRules implements DrawRules {
    private final long coolOffNanos;
    private final long maxCoolOffNanos;
    private final long marginMicros;
    private final RandomDraw random;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    /** Replaced whole on every change (changes are rare, reads are per decision). */
    private volatile Set<String> fleet = Set.of();
    private volatile String current;

    /** One server's failures: how many in a row, and until when it cools off. (No records: Android API 26.) */
    private static final class Failure {
        final int count;
        final long untilNanos;

        Failure(int count, long untilNanos) {
            this.count = count;
            this.untilNanos = untilNanos;
        }
    }

    FleetRules(Duration coolOff, Duration maxCoolOff, Duration margin, RandomDraw random) {
        this.coolOffNanos = coolOff.toNanos();
        this.maxCoolOffNanos = maxCoolOff.toNanos();
        this.marginMicros = margin.toNanos() / 1_000;
        this.random = random;
    }

    @Override
    public boolean drawable(String address, long nowNanos) {
        return fleet.contains(address) && !coolingOff(address, nowNanos);
    }

    @Override
    public String keptServer() {
        return current;
    }

    @Override
    public long keepMarginMicros() {
        return marginMicros;
    }

    boolean contains(String server) {
        return fleet.contains(server);
    }

    /** The fleet in the order servers were added. */
    List<String> servers() {
        return List.copyOf(fleet);
    }

    void add(String server) {
        if (!fleet.contains(server)) {
            Set<String> next = new LinkedHashSet<>(fleet);
            next.add(server);
            fleet = Collections.unmodifiableSet(next);
        }
    }

    void remove(String server) {
        if (fleet.contains(server)) {
            Set<String> next = new LinkedHashSet<>(fleet);
            next.remove(server);
            fleet = Collections.unmodifiableSet(next);
        }
        failures.remove(server);
        if (server.equals(current)) {
            current = null;
        }
    }

    String current() {
        return current;
    }

    void current(String server) {
        current = server;
    }

    /** The server cools off for the first cool-off, doubled per failure in a row up to the max. */
    void failed(String server, long nowNanos) {
        Failure before = failures.get(server);
        int count = before == null ? 1 : before.count + 1;
        long coolOff = coolOffNanos << Math.min(20, count - 1);
        failures.put(server, new Failure(count, nowNanos + Math.min(coolOff < 0 ? maxCoolOffNanos : coolOff, maxCoolOffNanos)));
        if (server.equals(current)) {
            current = null;
        }
    }

    private boolean coolingOff(String server, long nowNanos) {
        Failure f = failures.get(server);
        return f != null && f.untilNanos > nowNanos;
    }

    /**
     * What a choice from {@code ranking} falls on: the current server alone when it is kept, else
     * the members a new client draws from. Kept: drawable, answered, no more loss than the best,
     * and in the best group or within the margin of the best. Drawn from: the best group's
     * drawable members with the least loss. Servers still being measured are passed over: an
     * early decision is made only when none of them could be chosen. {@code cooling} counts the
     * answered servers left out for cooling off.
     */
    static final class Candidates {
        private final List<RankedEndpoint> servers;
        private final boolean kept;
        private final int cooling;

        Candidates(List<RankedEndpoint> servers, boolean kept, int cooling) {
            this.servers = servers;
            this.kept = kept;
            this.cooling = cooling;
        }

        List<RankedEndpoint> servers() {
            return servers;
        }

        boolean kept() {
            return kept;
        }

        int cooling() {
            return cooling;
        }
    }

    Candidates candidates(Ranking ranking, long nowNanos) {
        List<RankedEndpoint> usable = new ArrayList<>();
        int cooling = 0;
        for (RankedEndpoint r : ranking.entries()) {
            if (!fleet.contains(r.address()) || r.bucket().compareTo(Bucket.NONE) >= 0) {
                continue;
            }
            if (coolingOff(r.address(), nowNanos)) {
                cooling++;
                continue;
            }
            usable.add(r);
        }
        if (usable.isEmpty()) {
            return new Candidates(List.of(), false, cooling);
        }
        // entries come sorted by group, loss, then RTT: the first usable one is the best
        RankedEndpoint best = usable.get(0);
        for (RankedEndpoint r : usable) {
            if (r.address().equals(current) && r.loss() <= best.loss() && (r.bucket() == best.bucket()
                    || r.rttMicros().getAsLong() <= best.rttMicros().getAsLong() + marginMicros)) {
                return new Candidates(List.of(r), true, cooling);
            }
        }
        return new Candidates(RankedEndpoint.drawGroup(usable), false, cooling);
    }

    /**
     * The choice from {@code ranking}: the kept server, or a uniform draw among the
     * {@link #candidates}. Does not change the current server: the caller does. {@code why}, when
     * given, replaces the usual reason in the note.
     */
    FleetChoice choose(Ranking ranking, FleetChoice.Reason reason, long nowNanos, long rankingNanos, String why) {
        Duration age = Duration.ofNanos(Math.max(0, nowNanos - rankingNanos));
        Candidates c = candidates(ranking, nowNanos);
        if (c.servers().isEmpty()) {
            String none = c.cooling() > 0 ? "every server that answered has failed and is cooling off"
                    : ranking.complete() ? "no server answered the last probe" : "no server has answered the probe under way yet";
            return new FleetChoice(null, null, -1, FleetChoice.Reason.NOTHING_AVAILABLE, age, why == null ? none : none + "; " + why);
        }
        RankedEndpoint pick = c.servers().get(c.kept() ? 0 : random.nextInt(c.servers().size()));
        String note = why == null ? note(reason, c.kept(), age, ranking.complete())
                : (c.kept() ? "kept the current server" : "drew from the fastest group") + " of a ranking " + age.toMillis()
                        + " ms old: " + why;
        return new FleetChoice(pick.address(), pick.bucket(), pick.rttMicros().getAsLong(), reason, age, note);
    }

    private static String note(FleetChoice.Reason reason, boolean kept, Duration age, boolean complete) {
        String how = kept ? "kept the current server" : "drew from the fastest group";
        switch (reason) {
            case REUSED: return how + " of a ranking " + age.toMillis() + " ms old (rate limit: no new probe)";
            case REUSED_STALE: return how + " of a stale ranking " + age.toMillis() + " ms old; a probe follows when the rate limit allows";
            case FAILOVER: return how + " of the last ranking (" + age.toMillis() + " ms old) after a failure; a probe follows";
            default: return how + " of a fresh probe" + (complete ? "" : " (decided early: no answer still out could change it)");
        }
    }
}
