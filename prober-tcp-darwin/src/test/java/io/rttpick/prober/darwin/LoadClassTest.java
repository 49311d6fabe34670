package io.rttpick.prober.darwin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rttpick.prober.unix.NativeCallException;
import org.junit.jupiter.api.Test;

/** Every class of the Darwin prober loads and initialises on any OS (this one is Linux, usually). */
class LoadClassTest {
    @Test
    void everyClassLoadsAndInitialisesHere() throws Exception {
        Class<?>[] classes = {DarwinConstants.class, NativeCallException.class, KEvent.class, KEventLayout.class,
            TcpConnectionInfo.class, DarwinErrors.class, KqueueTransport.class, DarwinKqueue.class,
            DarwinKqueueProberProvider.class, JnrDarwinSystem.class, io.rttpick.prober.unix.LibC.class, DarwinSystem.class};
        for (Class<?> c : classes) {
            assertEquals(c, Class.forName(c.getName(), true, getClass().getClassLoader()));
        }
    }
}
