package io.rttpick.fleettests;

import io.rttpick.prober.testing.FleetNamespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.FleetPlan.Mode;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.icmp.IcmpProberProvider;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PERMISSION_DENIED from a firewall rule inside the fleet's namespace (nftables, in this JVM's own
 * namespace: the machine's rules are not touched). On this kernel an OUTPUT drop of a SYN does not
 * fail connect (the SYN is retransmitted into the drop until the timeout), but a reject with
 * "administratively prohibited" does, and a ping socket's send fails with EPERM on a drop.
 */
class FirewallOnFleetTest {
    private static final Path NFT = Path.of("/usr/sbin/nft");
    private static final String TABLE = "rttpick_firewall_test";
    private static TunFleet fleet;

    @BeforeAll
    static void rules() throws Exception {
        String device = FleetNamespace.requireDevice();
        if (!Files.isExecutable(NFT)) {
            FleetNamespace.skipOrFail("needs nftables (" + NFT + ")");
        }
        fleet = TunFleet.start(new FleetPlan()
                .add("dropped", "198.18.40.1", Mode.OPEN, Duration.ofMillis(5))
                .add("rejected", "198.18.40.2", Mode.OPEN, Duration.ofMillis(5)), device);
        nft("add table inet " + TABLE);
        nft("add chain inet " + TABLE + " out { type filter hook output priority 0; }");
        nft("add rule inet " + TABLE + " out ip daddr 198.18.40.1 drop");
        nft("add rule inet " + TABLE + " out ip daddr 198.18.40.2 reject with icmp type admin-prohibited");
    }

    @AfterAll
    static void removeRules() throws Exception {
        if (fleet != null) {
            nft("delete table inet " + TABLE);
            fleet.close();
        }
    }

    private static void nft(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(NFT.toString(), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("nft " + command + " failed: " + out);
        }
    }

    private static RttSample probe(Prober prober, String address) {
        return prober.probe(List.of(address), ProbeOptions.builder().timeout(Duration.ofMillis(800)).build())
                .blockLast(Duration.ofSeconds(10));
    }

    @Test
    void aRejectingRuleIsPermissionDeniedForTheLinuxProberAndADropIsATimeout() {
        try (Prober prober = new LinuxEpollProberProvider().create()) {
            RttSample rejected = probe(prober, "198.18.40.2:443");
            assertEquals(Outcome.PERMISSION_DENIED, rejected.outcome(), rejected.toString());
            assertTrue(rejected.error().orElseThrow().contains("administratively prohibited from 198.19.0.1"), rejected.toString());
            assertEquals(Outcome.TIMEOUT, probe(prober, "198.18.40.1:443").outcome());
        }
        assertEquals(0, fleet.records().size(), "nothing got past the firewall");
    }

    @Test
    void aDroppingRuleIsPermissionDeniedForAPingSocketSayingWhatItCanBe() {
        try (Prober prober = new IcmpProberProvider().create()) {
            RttSample dropped = probe(prober, "198.18.40.1:443");
            assertEquals(Outcome.PERMISSION_DENIED, dropped.outcome(), dropped.toString());
            assertTrue(dropped.error().orElseThrow().contains("a local firewall rule"), dropped.toString());
        }
        assertEquals(0, fleet.echoes().size(), "nothing got past the firewall");
    }
}
