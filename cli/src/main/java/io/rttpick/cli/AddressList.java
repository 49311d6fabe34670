package io.rttpick.cli;

import io.rttpick.prober.ForwardingProber;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;

/**
 * The addresses of a run, with the optional names a {@code --file} gives them and the line each
 * came from, in input order. A line that cannot be read as an address is kept, so that it
 * becomes one INVALID result and the others are probed.
 */
public final class AddressList {
    private final List<String> addresses = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<String> origins = new ArrayList<>();
    /** Entries whose line could not even be read, by index: the text their result says. */
    private final Map<Integer, String> unreadable = new HashMap<>();

    public void add(String address, String name) {
        add(address, name, null);
    }

    private void add(String address, String name, String origin) {
        addresses.add(address);
        names.add(name);
        origins.add(origin);
    }

    /**
     * Reads one address per line, an optional name after whitespace, {@code #} comments and blank
     * lines skipped. A malformed address is kept: it becomes an INVALID sample, not a usage error;
     * so is a line that is not valid UTF-8, its result naming the line.
     */
    public void addFile(Path file) throws UsageException {
        addFile(file, "--file");
    }

    /** As {@link #addFile(Path)}, a read failure naming {@code option}, the option that gave the file. */
    public void addFile(Path file, String option) throws UsageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw UsageException.cannotRead(option, file, e);
        }
        int start = 0;
        for (int number = 1; start < bytes.length; number++) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            addLine(file, number, bytes, start, stop);
            start = end + 1;
        }
    }

    private void addLine(Path file, int number, byte[] bytes, int from, int to) {
        String origin = file + ":" + number;
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            // the whole line, undecodable bytes replaced: never a valid address, so nothing is sent to it
            unreadable.put(addresses.size(), "line " + number + " of " + file + " is not valid UTF-8");
            add(new String(bytes, from, to - from, StandardCharsets.UTF_8).strip(), null, origin);
            return;
        }
        int hash = line.indexOf('#');
        String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (content.isEmpty()) {
            return;
        }
        String[] parts = content.split("\\s+", 2);
        add(parts[0], parts.length > 1 ? parts[1].strip() : null, origin);
    }

    public List<String> addresses() {
        return Collections.unmodifiableList(addresses);
    }

    /** Names the address at {@code index}. */
    public void name(int index, String name) {
        names.set(index, name);
    }

    /** The name given to the address at {@code index}, or null. */
    public String name(int index) {
        return names.get(index);
    }

    /** {@code FILE:LINE} of the address at {@code index}; empty when it came from the command line. */
    public Optional<String> origin(int index) {
        return Optional.ofNullable(origins.get(index));
    }

    /** Why the line of the address at {@code index} could not be read; empty when it could. */
    public Optional<String> unreadable(int index) {
        return Optional.ofNullable(unreadable.get(index));
    }

    public boolean isEmpty() {
        return addresses.isEmpty();
    }

    /**
     * {@code prober}, with the result of every bad line of a file saying which line it was: an
     * unreadable line says so; a malformed address's error gets {@code (line N of FILE)}.
     */
    Prober explaining(Prober prober) {
        if (unreadable.isEmpty() && origins.stream().allMatch(o -> o == null)) {
            return prober;
        }
        return new ForwardingProber(prober) {
            @Override
            public Flux<ProbeEvent> events(List<String> list, ProbeOptions options) {
                return super.events(list, options).map(e -> {
                    if (!(e instanceof ProbeEvent.Completed)) {
                        return e;
                    }
                    RttSample s = ((ProbeEvent.Completed) e).sample();
                    String why = unreadable.get(s.index());
                    String origin = s.index() < origins.size() ? origins.get(s.index()) : null;
                    if (why == null && s.outcome() == Outcome.INVALID && origin != null) {
                        int colon = origin.lastIndexOf(':');
                        why = s.error().orElse("invalid address") + " (line " + origin.substring(colon + 1) + " of "
                                + origin.substring(0, colon) + ")";
                    }
                    if (why == null) {
                        return e;
                    }
                    return new ProbeEvent.Completed(RttSample.builder(s.index(), s.address()).attempt(s.attempt())
                            .failed(Outcome.INVALID, why).startedAt(s.startedAt()).prober(s.prober()).build());
                });
            }
        };
    }
}
