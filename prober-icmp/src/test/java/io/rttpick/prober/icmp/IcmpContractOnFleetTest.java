package io.rttpick.prober.icmp;

import io.rttpick.prober.testing.FleetNamespace;

import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.FleetPlan.Mode;
import io.rttpick.fleet.tun.FleetPlan.Unreachable;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.testing.ContractTargets;
import io.rttpick.prober.testing.ProberContractTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The icmp plugin through the same contract suite as the TCP probers. Loopback answers echo
 * itself; what refuses (an ICMP port-unreachable) and what never answers come from the fleet.
 */
class IcmpContractOnFleetTest extends ProberContractTest {
    private static TunFleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = TunFleet.start(new FleetPlan()
                .add("refuses", "198.18.31.1", Mode.UNREACHABLE, Duration.ofMillis(2), Duration.ZERO, Unreachable.PORT)
                .add("silent", "198.18.31.2", Mode.BLACKHOLE, Duration.ZERO), FleetNamespace.requireDevice());
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Override
    protected ProberProvider provider() {
        return new IcmpProberProvider();
    }

    @Override
    protected Handshake expectedHandshake() {
        return Handshake.NONE;
    }

    @Override
    protected ContractTargets targets() {
        return ContractTargets.loopback("198.18.31.1:7", "198.18.31.2:7");
    }
}
