package io.rttpick.prober.engine;

/**
 * What a run's input queues hold, in the caller's order: an address to attempt ({@link Target}),
 * or a sample that is ready without any packet, for an input that is invalid or did not resolve
 * ({@link ReadySample}).
 */
sealed interface RunInput permits Target, ReadySample {

    /** Position of the input in the caller's list. */
    int index();
}
