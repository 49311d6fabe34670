package io.rttpick.bench.simulate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What one client did over the week: regret per use, SYNs per day, servers that saw its address, decision times. */
final class Meter {
    private final int days;
    final long[] synsByDay;
    final Set<Integer> sawAddress = new HashSet<>();
    /** Per use: day and regret in ms. */
    final List<double[]> regrets = new ArrayList<>();
    /** Per trigger: day and the time from trigger to choice in ms. */
    final List<double[]> decisions = new ArrayList<>();
    /** Per reconnect to a network already seen: servers contacted. */
    final List<Integer> contactedPerKnownReconnect = new ArrayList<>();
    private int contactedSinceMark;
    /** Weeks merged in, and the sum of their servers that saw the address. */
    int weeks = 1;
    long sawAddressSum;
    long listSyns;
    /** SYNs sent for the app's refreshes at its uses (and the confirmations its readings started). */
    long refreshSyns;

    Meter(int days) {
        this.days = days;
        this.synsByDay = new long[days];
    }

    static int day(long t) {
        return (int) (t / SimWorld.DAY);
    }

    void syn(int server, long t) {
        synsByDay[Math.min(days - 1, day(t))]++;
        sawAddress.add(server);
        contactedSinceMark++;
    }

    /** A connection for use shows the address too. */
    void connected(int server) {
        sawAddress.add(server);
    }

    /** Adds another week's figures (another seed) to these. */
    void add(Meter other) {
        for (int d = 0; d < days; d++) {
            synsByDay[d] += other.synsByDay[d];
        }
        regrets.addAll(other.regrets);
        decisions.addAll(other.decisions);
        contactedPerKnownReconnect.addAll(other.contactedPerKnownReconnect);
        sawAddressSum += other.sawAddress.size();
        listSyns += other.listSyns;
        refreshSyns += other.refreshSyns;
        weeks++;
    }

    /** Servers that saw the address in a week, on average over the weeks merged. */
    double sawAddressPerWeek() {
        return weeks == 1 ? sawAddress.size() : (double) (sawAddressSum + sawAddress.size()) / weeks;
    }

    long totalSyns() {
        long n = 0;
        for (long d : synsByDay) {
            n += d;
        }
        return n;
    }

    void markReconnect() {
        contactedSinceMark = 0;
    }

    void endReconnect() {
        contactedPerKnownReconnect.add(contactedSinceMark);
    }

    void regret(long t, double ms) {
        regrets.add(new double[] {day(t), ms});
    }

    void decision(long t, double ms) {
        decisions.add(new double[] {day(t), ms});
    }

    /** Figures over days {@code from}..end (0-based). */
    Figures figures(int from) {
        double sum = 0;
        int n = 0;
        int slow = 0;
        for (double[] r : regrets) {
            if (r[0] >= from) {
                sum += r[1];
                n++;
                slow += r[1] > 100 ? 1 : 0;
            }
        }
        long syns = 0;
        for (int d = from; d < days; d++) {
            syns += synsByDay[d];
        }
        List<Double> times = new ArrayList<>();
        for (double[] d : decisions) {
            if (d[0] >= from) {
                times.add(d[1]);
            }
        }
        Collections.sort(times);
        return new Figures(n == 0 ? 0 : sum / n, n == 0 ? 0 : 100.0 * slow / n, (double) syns / (days - from) / weeks,
                percentile(times, 0.5), percentile(times, 0.99));
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.size()); // nearest rank, 1-based
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }

    static final class Figures {
        final double regretMs;
        final double slowPercent;
        final double synsPerDay;
        final double p50;
        final double p99;

        Figures(double regretMs, double slowPercent, double synsPerDay, double p50, double p99) {
            this.regretMs = regretMs;
            this.slowPercent = slowPercent;
            this.synsPerDay = synsPerDay;
            this.p50 = p50;
            this.p99 = p99;
        }
    }
}
