package io.rttpick.prober.testing;

import java.io.File;
import java.time.Duration;
import java.util.function.IntPredicate;

/** The process's open file descriptors, from /proc (Linux); tests that need it skip elsewhere. */
public final class OpenFiles {
    private static final File FD_DIR = new File("/proc/self/fd");

    private OpenFiles() {
    }

    public static boolean countable() {
        return FD_DIR.isDirectory();
    }

    public static int count() {
        String[] names = FD_DIR.list();
        if (names == null) {
            throw new IllegalStateException("cannot list " + FD_DIR);
        }
        return names.length;
    }

    /** Polls until the count satisfies {@code ok} or the time is up; returns the last count. */
    public static int awaitCount(IntPredicate ok, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        int n = count();
        while (!ok.test(n) && System.nanoTime() < end) {
            Thread.sleep(20);
            n = count();
        }
        return n;
    }
}
