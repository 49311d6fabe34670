package io.rttpick.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one option parser of every command: a table of options, each with its help line, read
 * strictly. {@code --opt value} and {@code --opt=value} both work everywhere; {@code --} ends the
 * options; every mistake names itself ("--count needs a positive whole number, got '0'"); the
 * help is printed from the same table, so it cannot drift from what is parsed. {@code --help} and
 * {@code -h} ask for it (a {@link UsageException#helpAsked()}); any other argument starting with
 * {@code -} before {@code --} is an unknown option, never an operand.
 */
public final class Options {
    /** Takes an option's value (or an operand); throws what is wrong with it. */
    @FunctionalInterface
    public interface ValueHandler {
        void accept(String value) throws UsageException;
    }

    /** Notes a flag. */
    @FunctionalInterface
    public interface FlagHandler {
        void set() throws UsageException;
    }

    private record Option(String name, String valueName, String help, ValueHandler value, FlagHandler flag) {
        String shown() {
            return valueName == null ? name : name + " " + valueName;
        }
    }

    private final String command;
    private final Map<String, Option> table = new LinkedHashMap<>();
    private ValueHandler operands;
    private Function<String, String> unknownOption = name -> "unknown option " + Output.printable(name) + " for " + this.command();

    /** @param command the command's name, for messages */
    public Options(String command) {
        this.command = command;
    }

    private String command() {
        return command;
    }

    /** An option without a value. */
    public Options flag(String name, String help, FlagHandler set) {
        return add(new Option(name, null, help, null, set));
    }

    /** An option with a value, shown as {@code valueName} in the help. */
    public Options value(String name, String valueName, String help, ValueHandler handler) {
        return add(new Option(name, valueName, help, handler, null));
    }

    /** Takes a whole number from 1 to {@link Integer#MAX_VALUE}; throws what is wrong with it. */
    @FunctionalInterface
    public interface PositiveHandler {
        void accept(int value) throws UsageException;
    }

    /**
     * An option whose value is a whole number from 1 up, shown as {@code N}; a mistake is named as
     * {@link #positive(String, String)} names it.
     */
    public Options positive(String name, String help, PositiveHandler handler) {
        return value(name, "N", help, v -> handler.accept(positive(name, v)));
    }

    private Options add(Option option) {
        if (!option.name().startsWith("--") || table.putIfAbsent(option.name(), option) != null) {
            throw new IllegalArgumentException("option " + option.name() + " declared twice, or not --name");
        }
        return this;
    }

    /** What takes the arguments that are not options (addresses); without it, any is a mistake. */
    public Options operands(ValueHandler handler) {
        this.operands = handler;
        return this;
    }

    /** The message for an option not in the table (default: "unknown option --x for COMMAND"). */
    public Options unknownOption(Function<String, String> message) {
        this.unknownOption = message;
        return this;
    }

    /** Reads {@code args} through the table, in order. */
    public void parse(List<String> args) throws UsageException {
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!optionsEnded && (arg.equals("--help") || arg.equals("-h"))) {
                throw UsageException.helpAsked(command);
            }
            if (!optionsEnded && arg.startsWith("-") && !arg.startsWith("--")) {
                // never an address: "-h", "-x" are options mistyped ("--" ends the options)
                throw new UsageException(unknownOption.apply(arg));
            }
            if (optionsEnded || !arg.startsWith("--")) {
                operand(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            String inline = eq > 0 ? arg.substring(eq + 1) : null;
            Option option = table.get(name);
            if (option == null) {
                throw new UsageException(unknownOption.apply(name));
            }
            if (option.flag() != null) {
                if (inline != null) {
                    throw new UsageException(name + " takes no value");
                }
                option.flag().set();
            } else if (inline != null) {
                option.value().accept(inline);
            } else if (i + 1 < args.size()) {
                option.value().accept(args.get(++i));
            } else {
                throw new UsageException(name + " needs a value");
            }
        }
    }

    private void operand(String arg) throws UsageException {
        if (operands == null) {
            throw new UsageException(command + " takes no addresses, got '" + Output.printable(arg) + "'");
        }
        operands.accept(arg);
    }

    /** One line per option (a help text's further lines indented under its first), aligned. */
    public String help() {
        int width = 0;
        for (Option o : table.values()) {
            width = Math.max(width, o.shown().length());
        }
        String indent = " ".repeat(width + 4);
        List<String> lines = new ArrayList<>();
        for (Option o : table.values()) {
            String[] help = o.help().split("\n");
            lines.add("  " + o.shown() + " ".repeat(width - o.shown().length() + 2) + help[0]);
            for (int k = 1; k < help.length; k++) {
                lines.add(indent + help[k]);
            }
        }
        return String.join("\n", lines);
    }

    /** A whole number from 1 to {@link Integer#MAX_VALUE}, or the mistake named. */
    public static int positive(String option, String text) throws UsageException {
        try {
            long v = Long.parseLong(text);
            if (v >= 1 && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " needs a positive whole number, got '" + Output.printable(text) + "'");
    }
}
