package io.rttpick.prober.linux;

import java.io.IOException;

/** A libc call that returned -1: which call, and its errno. */
final class NativeCallException extends IOException {
    private final String call;
    private final int errno;

    NativeCallException(String call, int errno, String description) {
        super(call + " failed: " + LinuxConstants.errnoName(errno) + " (" + description + ")");
        this.call = call;
        this.errno = errno;
    }

    String call() {
        return call;
    }

    int errno() {
        return errno;
    }
}
