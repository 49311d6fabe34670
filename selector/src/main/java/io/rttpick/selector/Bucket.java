package io.rttpick.selector;

/** The groups a ranking is made of, fastest first. */
public enum Bucket {
    FAST, AVERAGE, SLOW,
    /** No OK sample: the server did not answer, refused, or could not be probed. */
    NONE
}
