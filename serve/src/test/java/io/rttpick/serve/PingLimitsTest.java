package io.rttpick.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PingLimitsTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void tooManyAddressesIsAnInvalidParamsNamingTheCap() {
        PingLimits limits = new PingLimits(1000, 4, 60, now::get);
        limits.checkCount("mailservers_ping", 1000);
        RpcException e = assertThrows(RpcException.class, () -> limits.checkCount("mailservers_ping", 1001));
        assertEquals(-32602, e.code);
        assertEquals("mailservers_ping: 1001 addresses in one call; the cap is 1000 (serve --max-addresses)", e.getMessage());
    }

    @Test
    void callsInFlightAreCappedAndFreedOnRelease() {
        PingLimits limits = new PingLimits(10, 2, 100, now::get);
        limits.acquire("m");
        limits.acquire("m");
        RpcException e = assertThrows(RpcException.class, () -> limits.acquire("m"));
        assertEquals(-32000, e.code);
        limits.release();
        limits.acquire("m");
    }

    @Test
    void callsPerMinuteSlideWithTheClock() {
        PingLimits limits = new PingLimits(10, 10, 3, now::get);
        for (int i = 0; i < 3; i++) {
            limits.acquire("m");
            limits.release();
            now.addAndGet(10_000_000_000L);
        }
        assertThrows(RpcException.class, () -> limits.acquire("m")); // 3 calls within the last 30 s
        now.addAndGet(31_000_000_000L); // the first is now over a minute old
        limits.acquire("m");
    }
}
