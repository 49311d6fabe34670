package io.rttpick.prober.spi;

/**
 * Loads and initialises classes ahead of need. Out of file descriptors (the very moment a
 * prober must wait for room) the JVM cannot open a jar to load a class, so a transport loads
 * the classes of its failure paths when it is created.
 */
public final class Preload {
    private Preload() {
    }

    public static void classes(Class<?>... classes) {
        for (Class<?> c : classes) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new NoClassDefFoundError(c.getName());
            }
        }
    }
}
