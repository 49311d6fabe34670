package io.rttpick.selector;

import java.security.SecureRandom;

/**
 * Where the draw among equally good servers comes from: a uniform {@code int} in
 * {@code [0, bound)}. A method reference does: {@code new SplittableRandom(seed)::nextInt} in a
 * test, {@code new SecureRandom()::nextInt} by default. (Not {@code java.util.random.RandomGenerator}:
 * Android has it only from API 34.)
 */
@FunctionalInterface
public interface RandomDraw {
    int nextInt(int bound);

    /** A {@link SecureRandom} of its own. */
    static RandomDraw secure() {
        return new SecureRandom()::nextInt;
    }
}
