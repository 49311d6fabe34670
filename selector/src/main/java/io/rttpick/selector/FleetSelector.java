package io.rttpick.selector;

import io.rttpick.prober.Endpoint;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
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
 *   <li>A probe answers as soon as its choice is certain under these rules: no answer still out
 *       could change the servers it draws from or whether the current one is kept (see
 *       {@link RttSelector} for what that allows with several samples per server). The rest of
 *       the answers complete the ranking in the background; {@link #lastRanking()} says whether
 *       it is complete.</li>
 * </ul>
 * Time and randomness are injectable, so every rule is testable in virtual time. The rules
 * themselves are {@link FleetRules}; this class is their plumbing.
 */
public final class FleetSelector implements AutoCloseable {

    /** Why a client asks. */
    public enum Trigger { START, NETWORK_ONLINE, SERVER_FAILED, SERVER_LIST_OPENED, REFRESH }

    private final Prober prober;
    private final ProbeOptions options;
    private final RttSelector selector;
    private final SelectorClock clock;
    private final FleetRules rules;
    private final long minProbeIntervalNanos;
    private final long maxRankingAgeNanos;
    private final IntPredicate probePermit;
    private final int maxServers;
    private final Sinks.Many<FleetChoice> changes = Sinks.many().replay().latest();

    // guarded by this
    private String pinned;
    private Ranking ranking;
    private long rankingNanos;
    private long rankingRun;
    private FleetRun rankingSource;
    private long lastProbeNanos;
    private boolean probedOnce;
    /** The probe that has not decided yet: triggers join it. Once it decides, a trigger probes anew. */
    private FleetRun deciding;
    private final Set<FleetRun> running = new HashSet<>();
    private long runsStarted;
    private Disposable followUp;
    private boolean closed;

    private FleetSelector(Builder b) {
        this.prober = b.prober;
        this.options = b.options;
        RandomDraw random = b.random == null ? RandomDraw.secure() : b.random;
        this.clock = new SelectorClock(b.clock);
        RttSelector.Builder sb = RttSelector.builder().policy(b.policy).random(random);
        if (b.clock != null) {
            sb.clock(b.clock);
        }
        this.selector = sb.build();
        this.minProbeIntervalNanos = b.minProbeInterval.toNanos();
        this.maxRankingAgeNanos = b.maxRankingAge.toNanos();
        this.probePermit = b.probePermit;
        this.maxServers = b.maxServers;
        this.rules = new FleetRules(b.coolOff, b.maxCoolOff, b.margin, random);
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
        return (int) runsStarted;
    }

    /**
     * The ranking the choices come from, if a probe has decided; its age is {@link #rankingAge()}.
     * Right after an early decision it is not {@link Ranking#complete() complete}: the answers
     * still out fill it in, in the background.
     */
    public synchronized Optional<Ranking> lastRanking() {
        return Optional.ofNullable(ranking);
    }

    /** How old the last ranking is (zero without one), counted from the start of its probe. */
    public synchronized Duration rankingAge() {
        return ranking == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, now() - rankingNanos));
    }

    public synchronized Optional<String> pinnedServer() {
        return Optional.ofNullable(pinned);
    }

    /** Whether {@code server} is in the fleet now (as given when added). */
    public boolean contains(String server) {
        return rules.contains(server);
    }

    /** The fleet as it is now, in the order servers were added. */
    public List<String> servers() {
        return rules.servers();
    }

    /** The answer now: probes only if there has never been a ranking. */
    public Mono<FleetChoice> current() {
        return Mono.defer(() -> {
            synchronized (this) {
                if (pinned == null && ranking == null) {
                    return trigger(Trigger.START);
                }
                return reuseOrPinned();
            }
        });
    }

    /**
     * A reason to look again: probes unless the rate limit says to reuse the last ranking. A probe
     * answers as soon as its choice is certain (see {@link RttSelector}), often before its slowest
     * answers are in; those complete the ranking in the background, and {@link #changes()} emits
     * again only if the choice itself changes.
     */
    public Mono<FleetChoice> trigger(Trigger trigger) {
        Objects.requireNonNull(trigger);
        return Mono.defer(() -> {
            synchronized (this) {
                if (pinned != null) {
                    return Mono.just(pinnedChoice());
                }
                if (rateLimited() && (ranking != null || deciding != null)) {
                    return ranking != null ? reuseOrPinned() : probeAndChoose();
                }
                return probeAndChoose();
            }
        });
    }

    /**
     * The client could not use {@code server}: it cools off, and the next choice comes at once
     * from what is known (a ranking still being completed included).
     */
    public Mono<FleetChoice> reportFailure(String server) {
        return Mono.defer(() -> {
            synchronized (this) {
                rules.failed(server, now());
                if (server.equals(pinned)) {
                    return Mono.just(pinnedChoice()); // pinned means pinned: the user decides
                }
                scheduleFollowUpProbe();
                if (ranking == null) {
                    return probeAndChoose();
                }
                return chooseFromWhatIsKnown(FleetChoice.Reason.FAILOVER);
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
                rules.remove(server);
                if (server.equals(pinned)) {
                    pinned = null;
                }
            }
            return current();
        });
    }

    private void checkedAdd(String server) {
        Endpoint.parse(server); // names the address when it is malformed
        if (!rules.contains(server) && rules.servers().size() >= maxServers) {
            throw new FleetFullException(server, maxServers);
        }
        rules.add(server);
    }

    /** An add (or a pin of a server not in the fleet) when the fleet is at its cap: the fleet is unchanged. */
    public static final class FleetFullException extends IllegalStateException {
        private final int cap;

        FleetFullException(String server, int cap) {
            super("the fleet is at its cap of " + cap + " servers: " + server + " was not added");
            this.cap = cap;
        }

        public int cap() {
            return cap;
        }
    }

    private boolean rateLimited() {
        return probedOnce && now() - lastProbeNanos < minProbeIntervalNanos;
    }

    /** Reuse the last ranking (caller holds the lock; ranking or pin present). */
    private Mono<FleetChoice> reuseOrPinned() {
        if (pinned != null) {
            return Mono.just(pinnedChoice());
        }
        boolean stale = now() - rankingNanos > maxRankingAgeNanos;
        if (stale) {
            scheduleFollowUpProbe();
        }
        return chooseFromWhatIsKnown(stale ? FleetChoice.Reason.REUSED_STALE : FleetChoice.Reason.REUSED);
    }

    /**
     * A choice from the last ranking at once when it has a usable server; when it has none only
     * because answers are still out (a failure or removal right after an early decision), the
     * choice waits for them (lock held).
     */
    private Mono<FleetChoice> chooseFromWhatIsKnown(FleetChoice.Reason reason) {
        FleetChoice known = rules.choose(ranking, reason, now(), rankingNanos, null);
        FleetRun source = rankingSource;
        if (known.reason() == FleetChoice.Reason.NOTHING_AVAILABLE && !ranking.complete() && source != null) {
            return source.completed.asMono().then(Mono.fromSupplier(() -> {
                synchronized (this) {
                    return pinned != null ? pinnedChoice() : choose(reason);
                }
            }));
        }
        setCurrent(known.server().orElse(null), known);
        return Mono.just(known);
    }

    /** Joins the probe that has not decided yet, or starts one if the probe permit allows (lock held). */
    private Mono<FleetChoice> probeAndChoose() {
        if (deciding == null && !probePermit.test(rules.servers().size() * options.samplesPerEndpoint())) {
            String why = "the probe budget is spent (no new probe)";
            if (ranking == null) {
                FleetChoice none = new FleetChoice(null, null, -1, FleetChoice.Reason.NOTHING_AVAILABLE, Duration.ZERO,
                        why + " and there is no ranking yet");
                setCurrent(null, none);
                return Mono.just(none);
            }
            FleetChoice reused = rules.choose(ranking, FleetChoice.Reason.REUSED, now(), rankingNanos, why);
            setCurrent(reused.server().orElse(null), reused);
            return Mono.just(reused);
        }
        if (deciding == null) {
            long started = now();
            lastProbeNanos = started;
            probedOnce = true;
            deciding = new FleetRun(++runsStarted, started, rules.servers());
        }
        FleetRun run = deciding;
        // subscribed outside this lock: the run's events take it, from the run's own thread
        return Mono.defer(() -> {
            run.start();
            return run.decided.asMono().then(Mono.fromSupplier(() -> {
                synchronized (this) {
                    return pinned != null ? pinnedChoice() : run.choice;
                }
            }));
        });
    }

    /**
     * One probe of the fleet. It decides as early as its choice is certain under the rules as
     * they stand (cool-offs, the server in use), then goes on until every answer is in.
     */
    private final class FleetRun {
        final long id;
        final long startedNanos;
        final List<String> servers;
        final Sinks.Empty<Void> decided = Sinks.empty();
        /** Every answer is in (or the run ended otherwise): the ranking is as complete as it gets. */
        final Sinks.Empty<Void> completed = Sinks.empty();
        private final AtomicBoolean subscribed = new AtomicBoolean();
        // guarded by FleetSelector.this
        FleetChoice choice;
        boolean decidedEarly;
        boolean ended;
        Disposable subscription;

        FleetRun(long id, long startedNanos, List<String> servers) {
            this.id = id;
            this.startedNanos = startedNanos;
            this.servers = servers;
        }

        void start() {
            if (!subscribed.compareAndSet(false, true)) {
                return;
            }
            Disposable d = selector.select(servers, options.samplesPerEndpoint(), prober.events(servers, options), rules)
                    .doFinally(s -> ended())
                    .subscribe(this::onEvent, this::onError);
            synchronized (FleetSelector.this) {
                if (closed) {
                    d.dispose();
                } else if (!ended) {
                    subscription = d;
                    running.add(this);
                }
            }
        }

        private void onEvent(SelectorEvent event) {
            synchronized (FleetSelector.this) {
                if (event instanceof Selection s) {
                    decidedEarly = s.early();
                    accept(s.rankingAtDecision());
                    if (deciding == this) {
                        deciding = null;
                    }
                    choice = pinned != null ? pinnedChoice() : choose(FleetChoice.Reason.PROBED);
                } else if (event instanceof Ranking r && decidedEarly && accept(r) && pinned == null) {
                    choose(FleetChoice.Reason.PROBED); // the complete ranking; emits only if the choice changes
                }
            }
            if (event instanceof Selection) {
                decided.tryEmitEmpty();
            }
            if (event instanceof Ranking) {
                completed.tryEmitEmpty();
            }
        }

        /** Takes a ranking of this run unless a later run's is in already (lock held). */
        private boolean accept(Ranking r) {
            if (id < rankingRun) {
                return false;
            }
            ranking = r;
            rankingNanos = startedNanos;
            rankingRun = id;
            rankingSource = this;
            return true;
        }

        private void onError(Throwable error) {
            synchronized (FleetSelector.this) {
                if (deciding == this) {
                    deciding = null;
                }
            }
            decided.tryEmitError(error);
        }

        private void ended() {
            completed.tryEmitEmpty();
            synchronized (FleetSelector.this) {
                ended = true;
                running.remove(this);
                if (deciding == this) {
                    deciding = null;
                }
            }
        }
    }

    /** A probe as soon as the rate limit allows, once; its result may change the choice. */
    private void scheduleFollowUpProbe() {
        if (closed || (followUp != null && !followUp.isDisposed())) {
            return;
        }
        long wait = probedOnce ? Math.max(0, lastProbeNanos + minProbeIntervalNanos - now()) : 0;
        followUp = clock.timers().schedule(() -> trigger(Trigger.SERVER_FAILED).subscribe(c -> { }, e -> { }),
                wait, TimeUnit.NANOSECONDS);
    }

    /** The rules' choice from the last ranking, made the current server (lock held). */
    private FleetChoice choose(FleetChoice.Reason reason) {
        FleetChoice choice = rules.choose(ranking, reason, now(), rankingNanos, null);
        setCurrent(choice.server().orElse(null), choice);
        return choice;
    }

    private FleetChoice pinnedChoice() {
        return new FleetChoice(pinned, null, -1, FleetChoice.Reason.PINNED, Duration.ZERO, "pinned by the user: no probing");
    }

    private void setCurrent(String server, FleetChoice choice) {
        if (!Objects.equals(server, rules.current()) || server == null) {
            rules.current(server);
            changes.tryEmitNext(choice);
        }
    }

    /** Stops the follow-up probe and the probes still completing a ranking; {@link #changes()} completes. */
    @Override
    public void close() {
        List<FleetRun> stop;
        synchronized (this) {
            closed = true;
            if (followUp != null) {
                followUp.dispose();
            }
            stop = new ArrayList<>(running);
            running.clear();
        }
        for (FleetRun r : stop) { // outside the lock: a run's clean-up takes it
            r.subscription.dispose();
            r.decided.tryEmitError(new IllegalStateException("the fleet selector was closed before its probe decided"));
        }
        changes.tryEmitComplete();
    }

    public static final class Builder {
        private final Prober prober;
        private final List<String> servers;
        private ProbeOptions options = ProbeOptions.defaults();
        private BucketPolicy policy = BucketPolicy.relative();
        private RandomDraw random;
        private Supplier<Scheduler> clock;
        private Duration minProbeInterval = Duration.ofSeconds(30);
        private Duration maxRankingAge = Duration.ofMinutes(10);
        private Duration coolOff = Duration.ofSeconds(120);
        private Duration maxCoolOff = Duration.ofMinutes(30);
        private Duration margin = Duration.ofMillis(10);
        private IntPredicate probePermit = attempts -> true;
        private int maxServers = Integer.MAX_VALUE;

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

        public Builder random(RandomDraw random) {
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

        /**
         * Asked before every probe with the number of attempts it would send (servers x samples);
         * false reuses the last ranking instead ({@code REUSED}, the note says why). A service
         * shares one budget of probes between its callers this way. Default: always allowed.
         */
        public Builder probePermit(IntPredicate permit) {
            this.probePermit = Objects.requireNonNull(permit);
            return this;
        }

        /** The most servers the fleet may hold; adding past it fails with {@link FleetFullException}. Default: no cap. */
        public Builder maxServers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxServers must be at least 1, got " + n);
            }
            this.maxServers = n;
            return this;
        }

        public FleetSelector build() {
            return new FleetSelector(this);
        }
    }
}
