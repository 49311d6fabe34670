package io.rttpick.examples.cli;

/** Bad usage: the message names the problem; the command exits with 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
