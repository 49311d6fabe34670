package io.rttpick.selector;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** What the probe budget has spent: rounds in the last hour, each network's last full probe, the totals. */
final class BudgetLedger {
    private static final long HOUR = 3_600_000_000_000L;
    private final ProbeBudget budget;
    private final ArrayDeque<Long> roundsInHour = new ArrayDeque<>();
    private final Map<String, Long> lastFullByNetwork = new HashMap<>();
    long syns;
    long rounds;
    long fullProbes;
    long confirmations;

    BudgetLedger(ProbeBudget budget) {
        this.budget = budget;
    }

    int confirmTop() {
        return budget.confirmTop();
    }

    /** Whether another round fits in the hour. */
    boolean mayRound(long now) {
        while (!roundsInHour.isEmpty() && now - roundsInHour.peekFirst() >= HOUR) {
            roundsInHour.pollFirst();
        }
        return roundsInHour.size() < budget.maxRoundsPerHour();
    }

    /** Whether a full probe of {@code network} (null: none named) is allowed now. */
    boolean mayFull(String network, long now) {
        Long last = network == null ? null : lastFullByNetwork.get(network);
        return last == null || now - last >= budget.fullProbeInterval().toNanos();
    }

    /** Forgets which networks were probed (the user asked to forget them); the counts stay. */
    void forgetNetworks() {
        lastFullByNetwork.clear();
    }

    void spent(long now, String network, boolean full, int attempts) {
        roundsInHour.addLast(now);
        rounds++;
        syns += attempts;
        if (full) {
            fullProbes++;
            if (network != null) {
                lastFullByNetwork.put(network, now);
            }
        } else {
            confirmations++;
        }
    }
}
