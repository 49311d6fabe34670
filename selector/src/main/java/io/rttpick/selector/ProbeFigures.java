package io.rttpick.selector;

/** What the fleet selector's probing has cost, for clients that watch the radio and their users' privacy. */
public final class ProbeFigures {
    private final long synsSent;
    private final long rounds;
    private final long fullProbes;
    private final long confirmations;
    private final int serversContactedLast24h;

    ProbeFigures(long synsSent, long rounds, long fullProbes, long confirmations, int serversContactedLast24h) {
        this.synsSent = synsSent;
        this.rounds = rounds;
        this.fullProbes = fullProbes;
        this.confirmations = confirmations;
        this.serversContactedLast24h = serversContactedLast24h;
    }

    /** Probe attempts started by this selector (a SYN each, retransmissions aside). */
    public long synsSent() {
        return synsSent;
    }

    /** Probe rounds started: full probes and confirmations. */
    public long rounds() {
        return rounds;
    }

    public long fullProbes() {
        return fullProbes;
    }

    /** Confirmations of a remembered ranking (its top k only). */
    public long confirmations() {
        return confirmations;
    }

    /** Distinct servers a probe went to in the last 24 hours; with a {@link RankingStore}, across restarts. */
    public int serversContactedLast24h() {
        return serversContactedLast24h;
    }

    @Override
    public String toString() {
        return "ProbeFigures[" + synsSent + " SYNs, " + rounds + " rounds (" + fullProbes + " full, " + confirmations
                + " confirmations), " + serversContactedLast24h + " servers contacted in 24 h]";
    }
}
