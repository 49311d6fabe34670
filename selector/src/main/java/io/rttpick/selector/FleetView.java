package io.rttpick.selector;

/** What readers of the fleet selector see on any thread: the policy's state after its last event, immutable. */
final class FleetView {
    final Fleet fleet;
    final String pinned;
    final Ranking ranking;
    final long rankingNanos;
    final long runsStarted;
    final DrawSnapshot rules;
    final String network;

    FleetView(FleetPolicy policy) {
        this.fleet = policy.fleet();
        this.pinned = policy.pinned();
        this.ranking = policy.ranking();
        this.rankingNanos = policy.rankingNanos();
        this.runsStarted = policy.runsStarted();
        this.rules = policy.snapshot();
        this.network = policy.network();
    }
}
