package io.rttpick.prober.darwin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Every class of the Darwin prober loads and initialises on any OS (this one is Linux, usually). */
class LoadClassTest {
    @Test
    void everyClassLoadsAndInitialisesHere() throws Exception {
        Class<?>[] classes = {DarwinConstants.class, DarwinCallException.class, KEvent.class, KEventLayout.class,
            BsdSockAddr.class, TcpConnectionInfo.class, DarwinErrors.class, KqueueTransport.class, DarwinKqueue.class,
            DarwinKqueueProberProvider.class, JnrDarwinSystem.class, DarwinLibC.class, DarwinSystem.class};
        for (Class<?> c : classes) {
            assertEquals(c, Class.forName(c.getName(), true, getClass().getClassLoader()));
        }
    }
}
