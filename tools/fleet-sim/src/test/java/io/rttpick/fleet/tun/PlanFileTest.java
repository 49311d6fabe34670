package io.rttpick.fleet.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanFileTest {
    @Test
    void readsEveryField() throws Exception {
        FleetPlan plan = PlanFile.parse("{\"servers\": ["
                + "{\"name\": \"Amsterdam\", \"address\": \"198.18.0.29\", \"mode\": \"open\", \"delayMs\": 29, \"jitterMs\": 2},"
                + "{\"name\": \"gone\", \"address\": \"2001:db8:1::9\", \"mode\": \"unreachable\", \"delayMs\": 5, \"unreachable\": \"host\"},"
                + "{\"address\": \"198.18.0.3\", \"mode\": \"blackhole\"}]}", "test.json");
        assertEquals(3, plan.servers().size());
        FleetPlan.Server ams = plan.find(InetAddress.getByName("198.18.0.29"));
        assertEquals(29, ams.delay.toMillis());
        assertEquals(2, ams.jitter.toMillis());
        assertEquals(FleetPlan.Unreachable.HOST, plan.find(InetAddress.getByName("2001:db8:1::9")).unreachable);
        assertEquals("server-3", plan.servers().get(2).name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"servers\": [{\"name\": \"a\", \"address\": \"198.18.0.1\", \"mode\": \"opne\"}]}|server 1 (a): unknown mode 'opne'",
        "{\"servers\": [{\"name\": \"a\", \"address\": \"198.18.0.1\", \"mode\": \"open\"}, {\"name\": \"b\", \"address\": \"nowhere\", \"mode\": \"open\"}]}|server 2 (b): 'nowhere' is not an IP address",
        "{\"servers\": [{\"name\": \"a\", \"address\": \"198.18.0.1\", \"mode\": \"open\", \"delayMs\": -5}]}|server 1 (a): delayMs must be a whole number",
        "{\"servers\": [{\"name\": \"a\", \"address\": \"198.18.0.1\", \"mode\": \"open\", \"delay\": 5}]}|server 1 (a): unknown field \"delay\"",
        "{\"servers\": []}|needs a non-empty \"servers\" array",
        "{\"servers\": [{\"name\": \"a\", \"address\": \"10.0.0.1\", \"mode\": \"open\"}]}|server 1 (a): server a: address 10.0.0.1 is outside the fleet's ranges, 198.18.0.0/16 and 2001:db8:1::/48",
        "{\"servers\": [{\"name\": \"a\", \"address\": \"2001:db8:2::1\", \"mode\": \"open\"}]}|is outside the fleet's ranges",
        "{\"servers\": [{\"name\": \"a\", \"address\": \"198.19.0.1\", \"mode\": \"open\"}]}|is outside the fleet's ranges",
        "{not json|not JSON",
    })
    void badPlansNameTheFileAndTheEntry(String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlanFile.parse(json, "fleet.json"));
        assertTrue(e.getMessage().startsWith("plan fleet.json"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
