package io.rttpick.selector;

import io.rttpick.prober.Endpoint;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Keeps answering "which server now?" for as long as a client runs, the way a messaging app
 * picks and keeps a mailserver.
 *
 * <ul>
 *   <li>Probing happens only on a {@link Trigger}, never on a timer: each probe shows the
 *       client's address to every server. Probes are rate-limited; a trigger inside the window
 *       reuses the last ranking (and says so).</li>
 *   <li>A pinned server is always the answer, with no probing, until unpinned.</li>
 *   <li>A server reported as failed cools off (growing with repeated failures); the next choice
 *       comes from the last ranking at once, and a fresh probe follows when the rate limit allows.</li>
 *   <li>Hysteresis: the current server is kept while it is in the fastest group, or within a
 *       margin of the best; new clients draw at random from the fastest group.</li>
 * </ul>
 * Time and randomness are injectable, so every rule is testable in virtual time.
 */
public final class FleetSelector implements AutoCloseable {

    /** Why a client asks. */
    public enum Trigger { START, NETWORK_ONLINE, SERVER_FAILED, SERVER_LIST_OPENED, REFRESH }

    private final Prober prober;
    private final ProbeOptions options;
    private final RttSelector selector;
    private final RandomGenerator random;
    private final SelectorClock clock;
    private final long minProbeIntervalNanos;
    private final long maxRankingAgeNanos;
    private final long coolOffNanos;
    private final long maxCoolOffNanos;
    private final long marginMicros;
    private final Sinks.Many<FleetChoice> changes = Sinks.many().replay().latest();

    // guarded by this
    private final LinkedHashSet<String> servers = new LinkedHashSet<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private String pinned;
    private String current;
    private Ranking ranking;
    private long rankingNanos;
    private long lastProbeNanos;
    private boolean probedOnce;
    private Mono<Ranking> probing;
    private Disposable followUp;
    private int probesStarted;

    private static final class Failure {
        int count;
        long untilNanos;
    }

    private FleetSelector(Builder b) {
        this.prober = b.prober;
        this.options = b.options;
        this.random = b.random == null ? new SecureRandom() : b.random;
        this.clock = new SelectorClock(b.clock);
        RttSelector.Builder sb = RttSelector.builder().policy(b.policy).random(random);
        if (b.clock != null) {
            sb.clock(b.clock);
        }
        this.selector = sb.build();
        this.minProbeIntervalNanos = b.minProbeInterval.toNanos();
        this.maxRankingAgeNanos = b.maxRankingAge.toNanos();
        this.coolOffNanos = b.coolOff.toNanos();
        this.maxCoolOffNanos = b.maxCoolOff.toNanos();
        this.marginMicros = b.margin.toNanos() / 1_000;
        b.servers.forEach(this::checkedAdd);
    }

    public static Builder builder(Prober prober, List<String> servers) {
        return new Builder(prober, servers);
    }

    private long now() {
        return clock.nowNanos();
    }

    /** Every change of the server in use, the latest first to a new subscriber. */
    public Flux<FleetChoice> changes() {
        return changes.asFlux();
    }

    /** Probes started so far (for clients that watch their privacy, and for tests). */
    public synchronized int probesStarted() {
        return probesStarted;
    }

    /** The ranking the choices come from, if a probe has ended; its age is {@link #rankingAge()}. */
    public synchronized Optional<Ranking> lastRanking() {
        return Optional.ofNullable(ranking);
    }

    /** How old the last ranking is (zero without one). */
    public synchronized Duration rankingAge() {
        return ranking == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, now() - rankingNanos));
    }

    public synchronized Optional<String> pinnedServer() {
        return Optional.ofNullable(pinned);
    }

    /** Whether {@code server} is in the fleet now (as given when added). */
    public synchronized boolean contains(String server) {
        return servers.contains(server);
    }

    /** The fleet as it is now, in the order servers were added. */
    public synchronized List<String> servers() {
        return List.copyOf(servers);
    }

    /** The answer now: probes only if there has never been a ranking. */
    public Mono<FleetChoice> current() {
        return Mono.defer(() -> {
            synchronized (this) {
                if (pinned == null && ranking == null) {
                    return trigger(Trigger.START);
                }
                return Mono.just(reuseOrPinned());
            }
        });
    }

    /** A reason to look again: probes unless the rate limit says to reuse the last ranking. */
    public Mono<FleetChoice> trigger(Trigger trigger) {
        Objects.requireNonNull(trigger);
        return Mono.defer(() -> {
            synchronized (this) {
                if (pinned != null) {
                    return Mono.just(pinnedChoice());
                }
                if (rateLimited() && (ranking != null || probing != null)) {
                    return ranking != null ? Mono.just(reuseOrPinned()) : probeAndChoose();
                }
                return probeAndChoose();
            }
        });
    }

    /** The client could not use {@code server}: it cools off, and the next choice comes at once. */
    public Mono<FleetChoice> reportFailure(String server) {
        return Mono.defer(() -> {
            synchronized (this) {
                long now = now();
                Failure f = failures.computeIfAbsent(server, s -> new Failure());
                f.count++;
                long coolOff = coolOffNanos << Math.min(20, f.count - 1);
                f.untilNanos = now + Math.min(coolOff < 0 ? maxCoolOffNanos : coolOff, maxCoolOffNanos);
                if (server.equals(pinned)) {
                    return Mono.just(pinnedChoice()); // pinned means pinned: the user decides
                }
                if (server.equals(current)) {
                    current = null;
                }
                scheduleFollowUpProbe();
                if (ranking == null) {
                    return probeAndChoose();
                }
                return Mono.just(choose(FleetChoice.Reason.FAILOVER));
            }
        });
    }

    public Mono<FleetChoice> pin(String server) {
        return Mono.fromSupplier(() -> {
            synchronized (this) {
                checkedAdd(server);
                pinned = server;
                setCurrent(server, pinnedChoice());
                return pinnedChoice();
            }
        });
    }

    public Mono<FleetChoice> unpin() {
        return Mono.defer(() -> {
            synchronized (this) {
                pinned = null;
            }
            return trigger(Trigger.REFRESH);
        });
    }

    public Mono<FleetChoice> addServer(String server) {
        return Mono.defer(() -> {
            synchronized (this) {
                checkedAdd(server);
            }
            return current();
        });
    }

    /** Removes a server; removing the one in use makes a new choice at once. */
    public Mono<FleetChoice> removeServer(String server) {
        return Mono.defer(() -> {
            synchronized (this) {
                servers.remove(server);
                failures.remove(server);
                if (server.equals(pinned)) {
                    pinned = null;
                }
                if (server.equals(current)) {
                    current = null;
                }
            }
            return current();
        });
    }

    private void checkedAdd(String server) {
        Endpoint.parse(server); // names the address when it is malformed
        servers.add(server);
    }

    private boolean rateLimited() {
        return probedOnce && now() - lastProbeNanos < minProbeIntervalNanos;
    }

    /** Reuse the last ranking (caller holds the lock; ranking or pin present). */
    private FleetChoice reuseOrPinned() {
        if (pinned != null) {
            return pinnedChoice();
        }
        boolean stale = now() - rankingNanos > maxRankingAgeNanos;
        if (stale) {
            scheduleFollowUpProbe();
        }
        return choose(stale ? FleetChoice.Reason.REUSED_STALE : FleetChoice.Reason.REUSED);
    }

    private Mono<FleetChoice> probeAndChoose() {
        if (probing == null) {
            long started = now();
            lastProbeNanos = started;
            probedOnce = true;
            probesStarted++;
            // the probe stops being "in flight" before its result reaches anyone: a trigger that
            // follows an answer must start a new probe, not replay this one
            @SuppressWarnings("unchecked")
            Mono<Ranking>[] self = new Mono[1];
            probing = selector.rank(prober, new ArrayList<>(servers), options)
                    .doOnNext(r -> {
                        synchronized (this) {
                            ranking = r;
                            rankingNanos = started;
                            if (probing == self[0]) {
                                probing = null;
                            }
                        }
                    })
                    .doFinally(s -> {
                        synchronized (this) {
                            if (probing == self[0]) {
                                probing = null;
                            }
                        }
                    })
                    .cache();
            self[0] = probing;
        }
        return probing.map(r -> {
            synchronized (this) {
                return pinned != null ? pinnedChoice() : choose(FleetChoice.Reason.PROBED);
            }
        });
    }

    /** A probe as soon as the rate limit allows, once; its result may change the choice. */
    private void scheduleFollowUpProbe() {
        if (followUp != null && !followUp.isDisposed()) {
            return;
        }
        long wait = probedOnce ? Math.max(0, lastProbeNanos + minProbeIntervalNanos - now()) : 0;
        followUp = clock.timers().schedule(() -> trigger(Trigger.SERVER_FAILED).subscribe(c -> { }, e -> { }),
                wait, TimeUnit.NANOSECONDS);
    }

    /**
     * From the last ranking: usable servers only; the current one is kept while it is in the best
     * group (or within the margin of the best) with no more loss than the best (lock held).
     */
    private FleetChoice choose(FleetChoice.Reason reason) {
        long now = now();
        Duration age = Duration.ofNanos(Math.max(0, now - rankingNanos));
        List<RankedEndpoint> usable = new ArrayList<>();
        int cooling = 0;
        for (RankedEndpoint r : ranking.entries()) {
            if (!servers.contains(r.address()) || r.bucket() == Bucket.NONE) {
                continue;
            }
            Failure f = failures.get(r.address());
            if (f != null && f.untilNanos > now) {
                cooling++;
                continue;
            }
            usable.add(r);
        }
        if (usable.isEmpty()) {
            String why = cooling > 0 ? "every server that answered has failed and is cooling off"
                    : "no server answered the last probe";
            FleetChoice none = new FleetChoice(null, null, -1, FleetChoice.Reason.NOTHING_AVAILABLE, age, why);
            setCurrent(null, none);
            return none;
        }
        // entries come sorted by group, loss, then RTT: the first usable one is the best
        RankedEndpoint best = usable.get(0);
        RankedEndpoint keep = null;
        for (RankedEndpoint r : usable) {
            if (r.address().equals(current) && r.loss() <= best.loss()) {
                boolean stillGood = r.bucket() == best.bucket()
                        || r.rttMicros().getAsLong() <= best.rttMicros().getAsLong() + marginMicros;
                keep = stillGood ? r : null;
            }
        }
        RankedEndpoint pick = keep;
        if (pick == null) {
            List<RankedEndpoint> group = RankedEndpoint.drawGroup(usable);
            pick = group.get(random.nextInt(group.size()));
        }
        String note = noteFor(reason, keep != null, age);
        FleetChoice choice = new FleetChoice(pick.address(), pick.bucket(), pick.rttMicros().getAsLong(), reason, age, note);
        setCurrent(pick.address(), choice);
        return choice;
    }

    private static String noteFor(FleetChoice.Reason reason, boolean kept, Duration age) {
        String how = kept ? "kept the current server" : "drew from the fastest group";
        switch (reason) {
            case REUSED: return how + " of a ranking " + age.toMillis() + " ms old (rate limit: no new probe)";
            case REUSED_STALE: return how + " of a stale ranking " + age.toMillis() + " ms old; a probe follows when the rate limit allows";
            case FAILOVER: return how + " of the last ranking (" + age.toMillis() + " ms old) after a failure; a probe follows";
            default: return how + " of a fresh probe";
        }
    }

    private FleetChoice pinnedChoice() {
        return new FleetChoice(pinned, null, -1, FleetChoice.Reason.PINNED, Duration.ZERO, "pinned by the user: no probing");
    }

    private void setCurrent(String server, FleetChoice choice) {
        if (!Objects.equals(server, current) || server == null) {
            current = server;
            changes.tryEmitNext(choice);
        }
    }

    @Override
    public synchronized void close() {
        if (followUp != null) {
            followUp.dispose();
        }
        changes.tryEmitComplete();
    }

    public static final class Builder {
        private final Prober prober;
        private final List<String> servers;
        private ProbeOptions options = ProbeOptions.defaults();
        private BucketPolicy policy = BucketPolicy.relative();
        private RandomGenerator random;
        private Supplier<Scheduler> clock;
        private Duration minProbeInterval = Duration.ofSeconds(30);
        private Duration maxRankingAge = Duration.ofMinutes(10);
        private Duration coolOff = Duration.ofSeconds(120);
        private Duration maxCoolOff = Duration.ofMinutes(30);
        private Duration margin = Duration.ofMillis(10);

        private Builder(Prober prober, List<String> servers) {
            this.prober = Objects.requireNonNull(prober);
            this.servers = List.copyOf(servers);
        }

        public Builder probeOptions(ProbeOptions options) {
            this.options = Objects.requireNonNull(options);
            return this;
        }

        public Builder policy(BucketPolicy policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /** Time and timers; tests pass a virtual-time scheduler. */
        public Builder clock(Supplier<Scheduler> clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** At most one probe of the fleet per this interval (default 30 s). */
        public Builder minProbeInterval(Duration d) {
            this.minProbeInterval = d;
            return this;
        }

        /** A ranking older than this is not reused without a probe following (default 10 min). */
        public Builder maxRankingAge(Duration d) {
            this.maxRankingAge = d;
            return this;
        }

        /** A failed server's first cool-off (default 120 s), doubling per repeated failure up to the max (30 min). */
        public Builder coolOff(Duration first, Duration max) {
            this.coolOff = first;
            this.maxCoolOff = max;
            return this;
        }

        /** Keep the current server while within this of the best (default 10 ms), even outside the fastest group. */
        public Builder hysteresisMargin(Duration d) {
            this.margin = d;
            return this;
        }

        public FleetSelector build() {
            return new FleetSelector(this);
        }
    }
}
