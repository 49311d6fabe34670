package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdleSocketsTest {
    private final IdleSockets idle = new IdleSockets();

    @Test
    void eachFamilyKeepsItsOwnAndTheLastKeptGoesFirst() {
        assertEquals(-1, idle.take(false));
        assertTrue(idle.offer(false, 7));
        assertTrue(idle.offer(false, 8));
        assertTrue(idle.offer(true, 9));
        assertEquals(9, idle.take(true));
        assertEquals(-1, idle.take(true));
        assertEquals(8, idle.take(false));
        assertEquals(7, idle.take(false));
        assertTrue(idle.isEmpty());
    }

    @Test
    void fullMeansTheCallerClosesIt() {
        for (int fd = 0; fd < IdleSockets.MAX_PER_FAMILY; fd++) {
            assertTrue(idle.offer(true, fd));
        }
        assertFalse(idle.offer(true, 1000));
        assertTrue(idle.offer(false, 1001), "the other family has its own room");
    }

    @Test
    void releaseHandsEveryKeptSocketToCloseOnce() {
        idle.offer(false, 3);
        idle.offer(true, 4);
        List<Integer> closed = new ArrayList<>();
        idle.release(closed::add);
        idle.release(closed::add);
        assertEquals(List.of(3, 4), closed);
        assertTrue(idle.isEmpty());
    }
}
