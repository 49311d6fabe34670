package io.rttpick.selector;

import java.time.Duration;

/** The builders' checks of a duration option, naming the option and the value. */
final class DurationCheck {
    private DurationCheck() {
    }

    static Duration notNegative(String option, Duration d) {
        if (d == null) {
            throw new NullPointerException(option + " must not be null");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(option + " must not be negative, got " + d);
        }
        return d;
    }

    static Duration positive(String option, Duration d) {
        if (notNegative(option, d).isZero()) {
            throw new IllegalArgumentException(option + " must be positive, got " + d);
        }
        return d;
    }
}
