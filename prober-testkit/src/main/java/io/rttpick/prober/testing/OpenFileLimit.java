package io.rttpick.prober.testing;

import java.util.concurrent.Callable;
import jnr.constants.platform.linux.RLIMIT;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * Runs a body under a lowered descriptor limit (RLIMIT_NOFILE), restoring the limit afterwards
 * whatever happens: for tests that probers wait for room instead of failing on EMFILE. Linux.
 */
public final class OpenFileLimit {
    /** The process's descriptor limit; public only because JNR implements it in its own class loader. */
    public interface Limits {
        int getrlimit(int resource, @Out long[] limit);

        int setrlimit(int resource, @In long[] limit);
    }

    private OpenFileLimit() {
    }

    /** Calls {@code body} with the soft limit at the descriptors open now plus {@code headroom}. */
    public static <T> T whileLowered(int headroom, Callable<T> body) throws Exception {
        Limits libc = LibraryLoader.create(Limits.class).load("libc.so.6");
        int nofile = RLIMIT.RLIMIT_NOFILE.intValue();
        long[] saved = new long[2];
        if (libc.getrlimit(nofile, saved) != 0) {
            throw new IllegalStateException("getrlimit(RLIMIT_NOFILE) failed");
        }
        if (libc.setrlimit(nofile, new long[] {OpenFiles.count() + headroom, saved[1]}) != 0) {
            throw new IllegalStateException("setrlimit(RLIMIT_NOFILE) failed");
        }
        try {
            return body.call();
        } finally {
            if (libc.setrlimit(nofile, saved) != 0) {
                throw new IllegalStateException("cannot restore RLIMIT_NOFILE to " + saved[0]);
            }
        }
    }
}
