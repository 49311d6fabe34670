package io.rttpick.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Bad usage: the message names the problem; the command exits with 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean helpAsked;

    public UsageException(String message) {
        this(message, false);
    }

    private UsageException(String message, boolean helpAsked) {
        super(message);
        this.helpAsked = helpAsked;
    }

    /** {@code --help} or {@code -h} among a command's options: not a mistake, its help is printed (exit 0). */
    public static UsageException helpAsked(String command) {
        return new UsageException("help for " + command, true);
    }

    public boolean helpAsked() {
        return helpAsked;
    }

    /** A file an option names could not be read: {@code cannot read --fleet F: no such file}. */
    public static UsageException cannotRead(String option, Path file, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new UsageException("cannot read " + option + " " + Output.printable(file.toString()) + ": " + Output.printable(why));
    }
}
