package io.rttpick.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The addresses of a run, with the optional names a {@code --file} gives them, in input order. */
final class AddressList {
    private final List<String> addresses = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    void add(String address, String name) {
        addresses.add(address);
        names.add(name);
    }

    /**
     * Reads one address per line, an optional name after whitespace, {@code #} comments and blank
     * lines skipped. A malformed address is kept: it becomes an INVALID sample, not a usage error.
     */
    void addFile(Path file) throws UsageException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read --file " + file + ": " + e.getMessage());
        }
        for (String line : lines) {
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] parts = content.split("\\s+", 2);
            add(parts[0], parts.length > 1 ? parts[1].strip() : null);
        }
    }

    List<String> addresses() {
        return Collections.unmodifiableList(addresses);
    }

    /** Names the address at {@code index}. */
    void name(int index, String name) {
        names.set(index, name);
    }

    /** The name given to the address at {@code index}, or null. */
    String name(int index) {
        return names.get(index);
    }

    boolean isEmpty() {
        return addresses.isEmpty();
    }
}
