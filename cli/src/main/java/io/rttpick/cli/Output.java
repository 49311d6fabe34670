package io.rttpick.cli;

import io.rttpick.output.LogText;
import io.rttpick.output.ResultJson;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Selection;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** How samples and choices look on the terminal and in {@code --json}. Field names are an interface: keep them. */
public final class Output {
    private final PrintStream out;
    private final AddressList addresses;

    Output(PrintStream out, AddressList addresses) {
        this.out = out;
        this.addresses = addresses;
    }

    public static String json(Object value) {
        return ResultJson.write(value);
    }

    /** One {@code ping --json} line. */
    Map<String, Object> sample(RttSample s) {
        return ResultJson.sample(s, addresses.name(s.index()));
    }

    void printSample(RttSample s, boolean asJson) {
        if (asJson) {
            out.println(json(sample(s)));
            return;
        }
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%-28s %-17s", label(s.index(), s.address()), s.outcome()));
        if (s.isOk()) {
            line.append(String.format(Locale.ROOT, " %9s  %s, %s", millis(s.rttMicros().getAsLong()),
                    s.timing().orElseThrow().name().toLowerCase(Locale.ROOT),
                    s.handshake().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        } else {
            line.append(' ').append(printable(s.error().orElse("")));
        }
        s.resolved().map(SocketAddresses::format).filter(r -> !r.equals(s.address()))
                .ifPresent(r -> line.append("  via ").append(r));
        out.println(line);
    }

    String name(int index) {
        return addresses.name(index);
    }

    void printChoice(Selection s) {
        if (s.chosen().isEmpty()) {
            out.println("chosen: nothing: no server answered");
            return;
        }
        RankedEndpoint c = s.chosen().get();
        out.printf(Locale.ROOT, "chosen: %s (%s, %s, 1 of %d) after %s%n", label(c.index(), c.address()), c.bucket(),
                millis(c.rttMicros().getAsLong()), s.group().size(), millis(s.decidedAfter().toNanos() / 1_000));
    }

    void printRanked(RankedEndpoint r) {
        String rtt = r.rttMicros().isPresent() ? millis(r.rttMicros().getAsLong()) : "-";
        String extra = r.error().map(e -> r.outcome() + ": " + printable(e)).orElse(summary(r));
        out.println(String.format(Locale.ROOT, "  %-8s %-28s %9s  %s", r.bucket(), label(r.index(), r.address()), rtt,
                extra).stripTrailing());
    }

    /** Jitter and loss, where there is something to say. */
    private static String summary(RankedEndpoint r) {
        StringBuilder s = new StringBuilder();
        if (r.jitterMicros().isPresent()) {
            s.append("jitter ").append(millis(r.jitterMicros().getAsLong()));
        }
        if (r.loss() > 0) {
            s.append(s.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "loss %.0f%%", 100 * r.loss()));
        }
        return s.toString();
    }

    private String label(int index, String address) {
        String name = addresses.name(index);
        return printable(name == null ? address : name + " " + address);
    }

    /** What came from input, with control characters escaped: a name or address cannot drive the terminal. */
    public static String printable(String text) {
        return LogText.safe(text, 1_000);
    }

    /** {@link #printable} line by line: a message of several lines (one per prober, say) keeps them. */
    public static String printableLines(String text) {
        StringBuilder b = new StringBuilder();
        String between = "";
        for (String line : String.valueOf(text).split("\n", -1)) {
            b.append(between).append(printable(line));
            between = "\n";
        }
        return b.toString();
    }

    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
    }
}
