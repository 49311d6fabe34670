package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.cli.CapturedRun;
import io.rttpick.prober.testing.FleetNamespace;
import org.junit.jupiter.api.Test;

/** {@code rttpick bench} at the top of its range, in the fleet's namespace: every value its help names works. */
class BenchOnFleetTest {

    @Test
    void fortyThousandServersTheTopOfTheRangeRunsAndSaysWhatItDidNotMeasure() {
        FleetNamespace.requireDevice();
        CapturedRun cli = CapturedRun.seeded(1);
        int code = cli.run("bench", "--servers", "40000", "--prober", "linux-epoll", "--no-capture");
        String out = cli.out();
        assertEquals(0, code, out + cli.err());
        assertTrue(out.contains("linux-epoll, 40000 servers: OK 40000/40000"), out);
        assertTrue(out.contains("on the wire: not captured (--no-capture)"), out);
        assertFalse(out.contains("RST 0, ACK 0"), "without a capture no wire count is printed as if nothing was sent");
        assertEquals("", cli.err());
    }

    @Test
    void aServerCountOutsideTheRangeIsNamed() {
        CapturedRun cli = CapturedRun.seeded(1);
        assertEquals(2, cli.run("bench", "--servers", "40001"));
        assertTrue(cli.err().contains("--servers needs a whole number from 1 to 40000, got '40001'"), cli.err());
    }
}
