package io.rttpick.prober.unix;

import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * Native buffers from libc's calloc, freed together by {@link #close}. Not JNR's
 * {@code Memory.allocateDirect}: that registers each buffer with a finalizer queue, whose set-up
 * (a thread, java.util.logging) cost a one-shot command about 10 ms before its first SYN, and a
 * transport knows exactly when its buffers are done with. Not thread-safe: one owner.
 */
public final class NativeArena implements AutoCloseable {
    private final List<Long> blocks = new ArrayList<>();
    private boolean closed;

    /** {@code size} zeroed bytes, valid until {@link #close}. */
    public Pointer allocate(int size) {
        if (closed) {
            throw new IllegalStateException("arena is closed");
        }
        long address = Native.calloc(size);
        blocks.add(address);
        return Native.wrap(address, size);
    }

    /** A buffer of at least {@code size} bytes: {@code current} if it is large enough, else a new one (the old one stays until close). */
    public Pointer atLeast(Pointer current, long size) {
        if (current != null && current.size() >= size) {
            return current;
        }
        return allocate((int) Math.min(Integer.MAX_VALUE, Math.max(size, current == null ? 0 : current.size() * 2)));
    }

    /** Frees every buffer, once; a pointer from this arena must not be used afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (long address : blocks) {
            Native.free(address);
        }
        blocks.clear();
    }
}
