package io.rttpick.prober.icmp;

import java.io.IOException;

/** A system call that returned -1: which call, and its errno. */
final class IcmpCallException extends IOException {
    private final int errno;

    IcmpCallException(String call, int errno, String text) {
        super(call + ": " + text + " (errno " + errno + ")");
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
