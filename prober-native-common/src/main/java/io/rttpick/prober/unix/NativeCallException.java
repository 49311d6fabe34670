package io.rttpick.prober.unix;

import java.io.IOException;

/**
 * A libc call that returned -1: which call, its errno and the system's text. Thrown on the hot
 * path (a refused connect, a full descriptor table), so it carries no stack trace: the call's name
 * says where it came from.
 */
public final class NativeCallException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int errno;

    /** @param errnoName the symbolic name of {@code errno} on the system that returned it ("ECONNREFUSED") */
    public NativeCallException(String call, int errno, String errnoName, String description) {
        super(call + " failed: " + errnoName + " (" + description + ")");
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
