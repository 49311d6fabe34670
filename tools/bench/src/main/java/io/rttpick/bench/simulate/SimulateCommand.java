package io.rttpick.bench.simulate;

import io.rttpick.cli.Command;
import io.rttpick.cli.Console;
import io.rttpick.cli.Options;
import io.rttpick.cli.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code rttpick simulate}: a client's week (see {@link Week}) on a simulated fleet, in virtual
 * time (no root, no network), the same script for each policy side by side: regret, slow uses,
 * probe SYNs, servers that saw the address, decision time; then two in-process figures.
 */
public final class SimulateCommand implements Command {
    static final String USAGE = "rttpick simulate [--fleet seed|status|community|all] [--seed N] [--weeks N] [--days N]";

    @Override
    public String name() {
        return "simulate";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String summary() {
        return "a client's simulated week: each policy's regret, probes and privacy, side by side (wide: | less -S)";
    }

    private static Options options(String[] fleet, long[] seed, int[] days, int[] weeks) {
        return new Options("simulate")
                .value("--fleet", "NAME", "seed (29/127/279 ms, one dead), status (3 regions x 2), community (25 servers,"
                        + " 12 regions, 10 % dead) or all (default)", v -> fleet[0] = v)
                .positive("--seed", "the seed every random draw comes from (default 1)", n -> seed[0] = n)
                .positive("--days", "days to simulate, 2 to 366 (default 7)", n -> days[0] = n)
                .positive("--weeks", "weeks to simulate, each with its own fleet and networks from seeds N, N+1, ...; figures"
                        + " over all, at most 1000 (default 10)", n -> weeks[0] = n);
    }

    @Override
    public String optionsHelp() {
        return options(new String[1], new long[1], new int[1], new int[1]).help();
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        String[] fleet = {"all"};
        long[] seed = {1};
        int[] days = {7};
        int[] weeks = {10};
        options(fleet, seed, days, weeks).operands(v -> {
            throw new UsageException("simulate takes no addresses (got " + v + "): its fleets are simulated; see --fleet");
        }).parse(args);
        List<String> fleets = fleet[0].equals("all") ? Arrays.asList(SimWorld.FLEETS) : List.of(fleet[0]);
        if (!Arrays.asList(SimWorld.FLEETS).containsAll(fleets)) {
            throw new UsageException("--fleet: no fleet named " + fleet[0] + "; seed, status, community or all");
        }
        if (days[0] < 2 || days[0] > 366) {
            throw new UsageException("--days: 2 to 366 (the figures apart from day 1 need a second day), got " + days[0]);
        }
        if (weeks[0] > 1_000) {
            throw new UsageException("--weeks: at most 1000, got " + weeks[0]);
        }
        console.out().println("rttpick simulate: a client's week in virtual time, " + (weeks[0] == 1 ? "1 week" : weeks[0] + " weeks")
                + " of " + days[0] + " days from seed " + seed[0] + (weeks[0] == 1 ? "" : " (each its own fleet draw and networks)"));
        console.out().println("regret: ms worse than the best server up at each use; slow: uses > 100 ms worse;"
                + " seen: servers that saw the address; decision: trigger to choice, ms p50/p99");
        for (String f : fleets) {
            table(f, seed[0], weeks[0], days[0], console);
        }
        WallClock.print(seed[0], console);
        return 0;
    }

    private static void table(String fleet, long seed, int weeks, int days, Console console) {
        Meter[] merged = null;
        String[] names = null;
        int size = 0;
        for (int w = 0; w < weeks; w++) {
            SimWorld world = SimWorld.of(fleet, seed + w);
            size = world.size();
            List<SimClient> clients = clients(world, seed + w, days);
            if (merged == null) {
                merged = new Meter[clients.size()];
                names = new String[clients.size()];
            }
            for (int i = 0; i < clients.size(); i++) {
                SimClient client = clients.get(i);
                Week.run(world, client, days);
                if (client instanceof FleetClient) {
                    ((FleetClient) client).close();
                }
                names[i] = client.name();
                if (merged[i] == null) {
                    merged[i] = client.meter;
                } else {
                    merged[i].add(client.meter);
                }
            }
        }
        console.out().println();
        console.out().println("fleet " + fleet + " (" + size + " servers)");
        console.out().printf(Locale.ROOT, "%-49s | %32s | %4s | %13s | %32s | %s%n", "", "whole week", "", "",
                "days 2-" + days, "");
        console.out().printf(Locale.ROOT, "%-49s | %7s %6s %17s | %4s | %13s | %7s %6s %17s | %s%n", "policy", "regret",
                "slow", "SYNs/day (list)", "seen", "decision", "regret", "slow", "SYNs/day (list)", "per known reconnect");
        for (int i = 0; i < merged.length; i++) {
            Meter m = merged[i];
            Meter.Figures all = m.figures(0);
            Meter.Figures later = m.figures(1);
            double listPerDay = (double) m.listSyns / days / m.weeks;
            List<Integer> perReconnect = m.contactedPerKnownReconnect;
            long over = perReconnect.stream().filter(n -> n > 3).count();
            String reconnect = perReconnect.isEmpty() ? "" : String.format(Locale.ROOT, "mean %.1f, max %d; over 3 in %d of %d",
                    perReconnect.stream().mapToInt(Integer::intValue).average().getAsDouble(),
                    perReconnect.stream().mapToInt(Integer::intValue).max().getAsInt(), over, perReconnect.size());
            if (m.refreshSyns > 0 || names[i].contains("refresh")) {
                reconnect += String.format(Locale.ROOT, "; the refreshes: %.1f SYNs/day", (double) m.refreshSyns / days / m.weeks);
            }
            console.out().printf(Locale.ROOT,
                    "%-49s | %7.1f %5.1f%% %8.0f (%5.0f) | %4.0f | %5.0f / %5.0f | %7.1f %5.1f%% %8.0f (%5.0f) | %s%n",
                    names[i], all.regretMs, all.slowPercent, all.synsPerDay, listPerDay, m.sawAddressPerWeek(), later.p50,
                    later.p99, later.regretMs, later.slowPercent, later.synsPerDay, listPerDay, reconnect);
        }
    }

    static List<SimClient> clients(SimWorld world, long seed, int days) {
        List<SimClient> list = new ArrayList<>();
        list.add(new RandomFailoverClient(world, days, seed));
        list.add(new PingAllClient(world, days, seed, false));
        list.add(new PingAllClient(world, days, seed, true));
        list.add(new TailscaleLikeClient(world, days));
        list.add(new FleetClient(world, days, seed, false));
        list.add(new FleetClient(world, days, seed, true));
        list.add(new FleetClient(world, days, seed, true, true, false));
        list.add(new FleetClient(world, days, seed, true, true, true));
        return list;
    }
}
