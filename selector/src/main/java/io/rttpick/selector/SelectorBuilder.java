package io.rttpick.selector;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The options {@link RttSelector} and {@link FleetSelector} share: how RTTs are grouped, the
 * random draw, and time.
 *
 * @param <B> the selector's own builder
 */
public abstract class SelectorBuilder<B extends SelectorBuilder<B>> {
    BucketPolicy policy = BucketPolicy.relative();
    RandomDraw random;
    Supplier<Scheduler> clock;
    LongSupplier ticker;

    SelectorBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Where the FAST and AVERAGE groups end; {@link BucketPolicy#relative()} by default. */
    public B policy(BucketPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /** The source of the random draw among equals; a {@link SecureRandom} by default. */
    public B random(RandomDraw random) {
        this.random = Objects.requireNonNull(random, "random");
        return self();
    }

    /**
     * Where time is read and timers run; tests pass a virtual-time scheduler. By default time is
     * {@link System#nanoTime()} and timers run on {@link Schedulers#parallel()}.
     */
    public B clock(Supplier<Scheduler> clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Where time alone is read, in nanoseconds, when it should not be the clock scheduler's: a
     * clock that goes on while the device sleeps, such as Android's
     * {@code SystemClock::elapsedRealtimeNanos} ({@link System#nanoTime()} stops in suspend, so
     * ranking ages, cool-offs and the rate limit would freeze overnight). Timers still run on
     * the clock's scheduler.
     */
    public B ticker(LongSupplier nanoTime) {
        this.ticker = Objects.requireNonNull(nanoTime, "ticker");
        return self();
    }

    SelectorClock selectorClock() {
        return new SelectorClock(clock, ticker);
    }

    RandomDraw randomOrSecure() {
        if (random == null) {
            random = RandomDraw.secure();
        }
        return random;
    }
}
