package io.rttpick.bench.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.cli.CapturedRun;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code rttpick simulate} as a user runs it: the table, its orders of magnitude, its options. */
class SimulateCommandTest {
    private final CapturedRun cli = CapturedRun.seeded(1);

    /** Days 2-7 of each policy's row: regret, slow share, SYNs per day. */
    private static Map<String, double[]> rows(String out, String fleet) {
        String table = out.substring(out.indexOf("fleet " + fleet));
        Matcher m = Pattern.compile("(?m)^(.{49}) \\|.*\\| +([0-9.]+) +([0-9.]+)% +([0-9]+) \\( *[0-9]+\\) \\|.*$").matcher(table);
        Map<String, double[]> rows = new HashMap<>();
        while (m.find() && rows.size() < 8) {
            rows.put(m.group(1).strip(), new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4))});
        }
        return rows;
    }

    @Test
    void theCommunityFleetsWeekShowsEachPolicysPriceAndChoice() {
        assertEquals(0, cli.run("simulate", "--fleet", "community", "--weeks", "2"), cli.err());
        Map<String, double[]> r = rows(cli.out(), "community");
        assertEquals(8, r.size(), cli.out());
        double[] random = r.get("random + failover (status-go 2026)");
        double[] today = r.get("FleetSelector, no memory (today)");
        double[] memory = r.get("FleetSelector, memory + budget");
        double[] tailscale = r.get("Tailscale-like (top 3 + current, full each 5 min)");
        assertEquals(0, random[2], "random sends no probe");
        assertTrue(random[0] > 50 && random[1] > 20, "and is slow: " + cli.out());
        assertTrue(today[2] > 100 && today[2] < 300, "today: a full probe per trigger, about 175 SYNs a day: " + cli.out());
        assertTrue(memory[2] < today[2] / 2, "memory: well under half of today's SYNs: " + cli.out());
        assertTrue(memory[0] < 10 && memory[1] < 1, "and near-best: " + cli.out());
        assertTrue(tailscale[2] > 4 * today[2], "Tailscale's scheme probes at every use: " + cli.out());
        double[] refreshing = r.get("... memory + budget, refresh at each use");
        double[] passive = r.get("... + passive RTT, refresh at each use");
        assertTrue(refreshing[2] > memory[2] + 30, "a refresh at each use costs a confirmation each: " + cli.out());
        assertTrue(passive[2] <= memory[2] + 5, "with the connection's own RTT, the refreshes cost nothing: " + cli.out());
        assertTrue(Math.abs(passive[0] - memory[0]) <= 1.5, "and the regret stays: " + cli.out());
        assertTrue(cli.out().contains("REMEMBERED from MEMORY"), cli.out());
        assertTrue(cli.out().contains("equal servers share new clients"), cli.out());
    }

    @Test
    void theSameSeedPrintsTheSameTable() {
        assertEquals(0, cli.run("simulate", "--fleet", "seed", "--weeks", "1", "--seed", "5"));
        String first = cli.out().substring(0, cli.out().indexOf("in process"));
        cli.reset();
        assertEquals(0, cli.run("simulate", "--fleet", "seed", "--weeks", "1", "--seed", "5"));
        assertEquals(first, cli.out().substring(0, cli.out().indexOf("in process")));
    }

    @Test
    void badOptionsAreNamed() {
        for (String[] args : new String[][] {{"--fleet", "nope"}, {"--days", "1"}, {"--weeks", "5000"}, {"--seed", "x"},
            {"127.0.0.1:1"}}) {
            cli.reset();
            String[] full = new String[args.length + 1];
            full[0] = "simulate";
            System.arraycopy(args, 0, full, 1, args.length);
            assertEquals(2, cli.run(full), String.join(" ", args));
            assertTrue(cli.err().contains(args[0].startsWith("--") ? args[0] : "takes no addresses"), cli.err());
        }
        cli.reset();
        assertEquals(0, cli.run("simulate", "--help"));
        assertTrue(cli.out().startsWith("usage: rttpick simulate"), cli.out());
    }
}
