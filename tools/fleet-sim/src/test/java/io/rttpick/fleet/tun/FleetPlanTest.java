package io.rttpick.fleet.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FleetPlanTest {

    @Test
    void aServerCanMoveAndKeepsItsNameAndPlace() throws Exception {
        FleetPlan plan = FleetPlan.seed().change("198.18.0.29", FleetPlan.Mode.OPEN, Duration.ofMillis(80), Duration.ofMillis(5));
        FleetPlan.Server ams = plan.find(InetAddress.getByName("198.18.0.29"));
        assertEquals("Amsterdam", ams.name);
        assertEquals(Duration.ofMillis(80), ams.delay);
        assertEquals(Duration.ofMillis(5), ams.jitter);
        assertEquals(ams, plan.servers().get(0));
        assertEquals(4, plan.servers().size());
    }

    @Test
    void onlyPlannedServersCanChangeAndNoAddressTwice() {
        FleetPlan plan = FleetPlan.seed();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan.change("198.18.9.9", FleetPlan.Mode.OPEN, Duration.ZERO, Duration.ZERO));
        assertEquals("address 198.18.9.9 is not in the plan", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plan.add("again", "198.18.0.29", FleetPlan.Mode.OPEN, Duration.ZERO));
    }
}
