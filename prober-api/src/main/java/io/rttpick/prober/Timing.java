package io.rttpick.prober;

/** Who measured an OK sample's RTT. */
public enum Timing {
    /** The kernel's own SYN to SYN-ACK sample (for example Linux {@code tcpi_rtt}). */
    KERNEL,
    /** Our own clock, from just before {@code connect} to the wakeup that saw the answer. */
    USERSPACE
}
