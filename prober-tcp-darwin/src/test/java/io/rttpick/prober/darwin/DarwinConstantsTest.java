package io.rttpick.prober.darwin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import jnr.constants.Constant;
import org.junit.jupiter.api.Test;

/**
 * The constants come from jnr-constants' Darwin tables (generated from macOS headers), not from
 * the host's: where Darwin and Linux differ, we must hold Darwin's. The kqueue values, which
 * jnr-constants lacks, are checked for the shape sys/event.h gives them.
 */
class DarwinConstantsTest {

    @Test
    void everyTableValueWeUseIsDefinedInTheDarwinTables() {
        Constant[] used = {jnr.constants.platform.darwin.AddressFamily.AF_INET, jnr.constants.platform.darwin.AddressFamily.AF_INET6,
            jnr.constants.platform.darwin.Sock.SOCK_STREAM, jnr.constants.platform.darwin.IPProto.IPPROTO_TCP,
            jnr.constants.platform.darwin.SocketLevel.SOL_SOCKET, jnr.constants.platform.darwin.SocketOption.SO_LINGER,
            jnr.constants.platform.darwin.SocketOption.SO_NOSIGPIPE, jnr.constants.platform.darwin.SocketOption.SO_ERROR,
            jnr.constants.platform.darwin.Fcntl.F_GETFL, jnr.constants.platform.darwin.Fcntl.F_SETFL,
            jnr.constants.platform.darwin.OpenFlags.O_NONBLOCK};
        for (Constant c : used) {
            assertTrue(c.defined(), c.name() + " is not in jnr-constants' Darwin table");
        }
        for (jnr.constants.platform.darwin.Errno e : new jnr.constants.platform.darwin.Errno[] {
            jnr.constants.platform.darwin.Errno.ECONNREFUSED, jnr.constants.platform.darwin.Errno.EINPROGRESS,
            jnr.constants.platform.darwin.Errno.EHOSTUNREACH, jnr.constants.platform.darwin.Errno.ETIMEDOUT}) {
            assertTrue(e.defined(), e.name());
        }
    }

    @Test
    void theyAreDarwinsNumbersNotTheHosts() {
        // each of these differs between Darwin and Linux: holding Linux's would be a silent bug on a Mac
        assertNotEquals(jnr.constants.platform.linux.Errno.ECONNREFUSED.intValue(), DarwinConstants.ECONNREFUSED);
        assertNotEquals(jnr.constants.platform.linux.Errno.EINPROGRESS.intValue(), DarwinConstants.EINPROGRESS);
        assertNotEquals(jnr.constants.platform.linux.AddressFamily.AF_INET6.intValue(), DarwinConstants.AF_INET6);
        assertNotEquals(jnr.constants.platform.linux.SocketLevel.SOL_SOCKET.intValue(), DarwinConstants.SOL_SOCKET);
        assertNotEquals(jnr.constants.platform.linux.OpenFlags.O_NONBLOCK.intValue(), DarwinConstants.O_NONBLOCK);
        assertEquals(jnr.constants.platform.darwin.Errno.ECONNREFUSED.intValue(), DarwinConstants.ECONNREFUSED);
    }

    @Test
    void kqueueValuesHaveTheShapeSysEventHGivesThem() throws Exception {
        // filters are small negative numbers, distinct
        assertTrue(DarwinConstants.EVFILT_WRITE < 0 && DarwinConstants.EVFILT_USER < 0);
        assertNotEquals(DarwinConstants.EVFILT_WRITE, DarwinConstants.EVFILT_USER);
        // flags are single bits of a uint16, distinct
        Set<Integer> bits = new HashSet<>();
        for (int flag : new int[] {DarwinConstants.EV_ADD, DarwinConstants.EV_ONESHOT, DarwinConstants.EV_CLEAR,
            DarwinConstants.EV_ERROR, DarwinConstants.EV_EOF}) {
            assertEquals(1, Integer.bitCount(flag));
            assertTrue(flag <= 0xffff);
            assertTrue(bits.add(flag));
        }
        assertEquals(1, Integer.bitCount(DarwinConstants.NOTE_TRIGGER));
        // every constant is a static final field: nothing computed from the host at run time
        for (Field f : DarwinConstants.class.getDeclaredFields()) {
            assertTrue(Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()), f.getName());
        }
    }
}
