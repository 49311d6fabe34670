package io.rttpick.prober.icmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoadClassTest {
    @Test
    void theProviderAndItsAvailabilityLoadWithoutTouchingNativeCode() throws Exception {
        for (Class<?> c : new Class<?>[] {IcmpProberProvider.class, IcmpConstants.class, EchoPacket.class, io.rttpick.prober.unix.NativeCallException.class}) {
            assertEquals(c, Class.forName(c.getName(), true, getClass().getClassLoader()));
        }
    }
}
