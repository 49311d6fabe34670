package io.rttpick.cli;

import java.util.List;

/**
 * A command of {@code rttpick}: {@code ping}, {@code pick} and {@code probers} in this module;
 * the others found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.rttpick.cli.Command}): {@code serve} in rttpick-serve,
 * {@code demo} and {@code bench} in rttpick-bench. The launcher puts their jars on the class path
 * for those commands only, so that ping, pick and probers load none of their classes. The usage
 * and every command's {@code --help} are printed from these methods.
 */
public interface Command {
    /** What the user types: {@code serve}. */
    String name();

    /** The usage line: {@code rttpick serve [--listen 127.0.0.1:8545] [options]}. */
    String usage();

    /** What it does, in a few words, for the command list. */
    String summary();

    /** Its options, one per line (from its {@link Options} table); empty when it has none. */
    String optionsHelp();

    /**
     * Runs it; bad usage is a {@link UsageException} (exit 2).
     *
     * @return the exit code
     */
    int run(List<String> args, Console console) throws Exception;
}
