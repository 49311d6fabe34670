package io.rttpick.bench.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The week's script as the issue states it. */
class WeekTest {
    private final SimWorld w = SimWorld.of("community", 3);

    private static long at(int day, int hour, int minute) {
        return (long) (day - 1) * SimWorld.DAY + hour * 60L + minute;
    }

    @Test
    void theNetworksOfTheDay() {
        assertEquals(w.home, w.netAt(at(2, 7, 29)));
        assertEquals(w.cell1, w.netAt(at(2, 7, 30)));
        assertEquals(w.office, w.netAt(at(2, 8, 15)));
        assertEquals(w.cafe, w.netAt(at(2, 12, 30)));
        assertEquals(w.office, w.netAt(at(2, 13, 15)));
        assertEquals(w.cell2, w.netAt(at(2, 17, 30)));
        assertEquals(w.home, w.netAt(at(2, 18, 15)));
        assertTrue(w.cell1.offsetMs >= 60 && w.cell1.offsetMs < 150 && w.office.offsetMs < 10 && w.cafe.offsetMs < 20);
    }

    @Test
    void homesBestIsDownAnHourADayAndTheFarthestMovesNextDoorOnDayFour() {
        assertFalse(w.up(w.homeBest, at(3, 14, 0)));
        assertTrue(w.up(w.homeBest, at(3, 15, 0)));
        double far = w.trueMs(w.farthest, w.home, at(4, 11, 59));
        assertTrue(far > 100, "the farthest live server: " + far);
        assertEquals(SimWorld.NEXT_DOOR_MS, w.trueMs(w.farthest, w.home, at(4, 12, 0)));
        assertEquals(SimWorld.NEXT_DOOR_MS + w.office.offsetMs, w.trueMs(w.farthest, w.office, at(6, 9, 0)));
    }

    @Test
    void theCommunityFleetHas25ServersSomeDeadAndSamplesNeverUnderTheTrueRtt() {
        assertEquals(25, w.size());
        for (int s = 0; s < w.size(); s++) {
            double sample = w.sampleMs(s, w.cell1, at(1, 7, 45));
            assertTrue(w.dead[s] ? Double.isNaN(sample) : sample >= w.trueMs(s, w.cell1, at(1, 7, 45)), "server " + s);
        }
    }
}
