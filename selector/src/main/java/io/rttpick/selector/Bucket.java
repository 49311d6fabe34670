package io.rttpick.selector;

/** The groups a ranking is made of, fastest first. */
public enum Bucket {
    FAST, AVERAGE, SLOW,
    /** No OK sample: the server did not answer, refused, or could not be probed. */
    NONE,
    /**
     * Still being measured: a ranking made at an early decision ({@link Ranking#complete()} false)
     * has answers out for this server. Its group is known once they are in.
     */
    MEASURING
}
