package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetSelector.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Random days of a client that remembers, in virtual time: networks come and go (each with RTTs
 * of its own), servers die and come back, the user fails over and opens the list. Whatever
 * happens, the probe budget holds (the user's list openings aside) and no choice from memory
 * stands once a probe showed its server dead while another answered.
 */
class FleetMemoryPropertyTest {
    private static final List<String> FLEET = List.of("a:993", "b:993", "c:993", "d:993", "e:993", "f:993");
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @Test
    void theBudgetHoldsAndNoContradictedChoiceStandsOverTwoHundredRandomDays() {
        for (int seed = 0; seed < 200; seed++) {
            day(seed);
        }
    }

    private void day(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        try {
            time.advanceTimeBy(Duration.ofDays(400));
            ScriptedProber scripted = new ScriptedProber(time);
            RecordingProber prober = new RecordingProber(scripted, () -> time.now(TimeUnit.NANOSECONDS));
            Map<String, long[]> rttByNetwork = new HashMap<>();
            for (String n : List.of("home", "office", "cafe", "cell")) {
                long[] rtt = new long[FLEET.size()];
                for (int i = 0; i < rtt.length; i++) {
                    rtt[i] = r.nextInt(5, 300);
                }
                rttByNetwork.put(n, rtt);
            }
            Set<Integer> dead = new HashSet<>();
            String[] network = {"home"};
            Runnable script = () -> {
                long[] rtt = rttByNetwork.get(network[0]);
                for (int i = 0; i < FLEET.size(); i++) {
                    scripted.set(FLEET.get(i), dead.contains(i) ? -1 : rtt[i]);
                }
            };
            script.run();
            FleetSelector selector = FleetSelector.builder(prober, FLEET).clock(() -> time).random(new SplittableRandom(seed)::nextInt)
                    .remember(RankingStore.inMemory()).storeScheduler(time, Duration.ofSeconds(1))
                    .wallClock(() -> time.now(TimeUnit.MILLISECONDS)).build();
            String[] current = {null};
            long[] chosenAt = {0};
            selector.changes().subscribe(c -> {
                current[0] = c.server().orElse(null);
                chosenAt[0] = time.now(TimeUnit.NANOSECONDS);
            });
            List<String> log = new ArrayList<>();
            Set<Integer> listRounds = new HashSet<>();
            Map<Integer, String> roundNetwork = new HashMap<>();
            Map<Integer, Set<Integer>> roundDead = new HashMap<>();
            for (int step = 0; step < 80; step++) {
                int what = r.nextInt(10);
                int roundsBefore = prober.rounds.size();
                if (what < 4) {
                    network[0] = List.of("home", "office", "cafe", "cell").get(r.nextInt(4));
                    script.run();
                    log.add("network " + network[0]);
                    selector.networkChanged(NetworkId.of(network[0])).subscribe();
                } else if (what < 6) {
                    int s = r.nextInt(FLEET.size());
                    if (!dead.remove(s)) {
                        dead.add(s);
                    }
                    script.run();
                    log.add("dead now " + dead);
                } else if (what < 7) {
                    log.add("list opened");
                    selector.trigger(Trigger.SERVER_LIST_OPENED).subscribe();
                } else if (what < 8 && current[0] != null) {
                    log.add("failure of " + current[0]);
                    selector.reportFailure(current[0]).subscribe();
                } else {
                    long minutes = r.nextInt(1, 90);
                    log.add("+" + minutes + " min");
                    time.advanceTimeBy(Duration.ofMinutes(minutes));
                }
                time.advanceTimeBy(Duration.ofSeconds(2)); // the answer, the confirmation, a full probe after it
                for (int i = roundsBefore; i < prober.rounds.size(); i++) {
                    roundNetwork.put(i, network[0]);
                    roundDead.put(i, Set.copyOf(dead));
                    if (log.get(log.size() - 1).equals("list opened")) {
                        listRounds.add(i);
                    }
                }
                checkBudget(prober.rounds, listRounds, roundNetwork, seed, log);
                if (!prober.rounds.isEmpty() && prober.last().nanos <= time.now(TimeUnit.NANOSECONDS) - 1_500_000_000L) {
                    // a round that has ended (timeouts are 1 s)
                    checkNoContradictedChoice(prober.last(), current[0], chosenAt[0], roundDead.get(prober.rounds.size() - 1), seed, log);
                }
            }
            selector.close();
        } finally {
            time.dispose();
        }
    }

    /** At most 12 rounds in any hour and one full probe per network per hour, the user's list openings aside. */
    private static void checkBudget(List<RecordingProber.Round> rounds, Set<Integer> listRounds, Map<Integer, String> roundNetwork,
            int seed, List<String> log) {
        for (int i = 0; i < rounds.size(); i++) {
            if (listRounds.contains(i)) {
                continue;
            }
            int inHour = 0;
            for (int j = 0; j <= i; j++) {
                if (!listRounds.contains(j) && rounds.get(i).nanos - rounds.get(j).nanos < HOUR) {
                    inHour++;
                    boolean bothFull = rounds.get(i).servers.size() == FLEET.size() && rounds.get(j).servers.size() == FLEET.size();
                    if (j < i && bothFull && roundNetwork.get(i).equals(roundNetwork.get(j))) {
                        fail("seed " + seed + ": two full probes of " + roundNetwork.get(i) + " within an hour, rounds " + j + " and "
                                + i + " " + rounds + "; " + log);
                    }
                }
            }
            assertTrue(inHour <= 12, "seed " + seed + ": " + inHour + " rounds in an hour; " + log);
        }
    }

    /** The server in use is not one the latest probe, after it was chosen, found dead while another answered. */
    private static void checkNoContradictedChoice(RecordingProber.Round last, String current, long chosenAt, Set<Integer> dead,
            int seed, List<String> log) {
        if (current == null) {
            return;
        }
        int index = FLEET.indexOf(current);
        if (last.nanos < chosenAt || !last.servers.contains(current) || !dead.contains(index)) {
            return;
        }
        boolean anotherAnswered = last.servers.stream().anyMatch(s -> !dead.contains(FLEET.indexOf(s)));
        assertTrue(!anotherAnswered, "seed " + seed + ": " + current + " stays in use after a probe found it dead; " + log);
    }
}
