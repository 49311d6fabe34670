package io.rttpick.prober.darwin;

/** A Darwin system call that returned -1: which call, and its errno (Darwin's numbering). */
final class DarwinCallException extends java.io.IOException {
    private final int errno;

    DarwinCallException(String call, int errno, String text) {
        super(call + ": " + text + " (errno " + errno + ")");
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
