package io.rttpick.cli;

/** Bad usage: the message names the problem; the command exits with 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
