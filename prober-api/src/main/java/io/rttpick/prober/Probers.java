package io.rttpick.prober;

import io.rttpick.prober.spi.ProberProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The probers on the class path and the choice among them. An explicit name (argument, else the
 * system property {@value #PROBER_PROPERTY}) wins; a named prober that is unavailable is an error
 * carrying its reason. Otherwise the available prober of highest priority. Never a silent
 * fallback: {@link #report()} says why each other candidate was not taken.
 */
public final class Probers {
    public static final String PROBER_PROPERTY = "rttpick.prober";
    public static final String NO_NATIVE_PROPERTY = "rttpick.noNative";

    private final List<Candidate> candidates;
    private final UnaryOperator<String> properties;

    private Probers(List<Candidate> candidates, UnaryOperator<String> properties) {
        this.candidates = candidates;
        this.properties = properties;
    }

    /** Every provider that {@link ServiceLoader} finds through the context class loader. */
    public static Probers load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader != null ? loader : Probers.class.getClassLoader(), System::getProperty);
    }

    public static Probers load(ClassLoader loader, UnaryOperator<String> properties) {
        List<Candidate> found = new ArrayList<>();
        Iterator<ProberProvider> it = ServiceLoader.load(ProberProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(Candidate.of(it.next(), properties));
            } catch (ServiceConfigurationError e) {
                // a plugin that cannot even load is listed, not fatal
                found.add(Candidate.broken(e));
            }
        }
        return new Probers(sorted(found), properties);
    }

    /** For tests and embedding: exactly these providers. */
    public static Probers of(List<? extends ProberProvider> providers, UnaryOperator<String> properties) {
        List<Candidate> list = new ArrayList<>();
        for (ProberProvider p : providers) {
            list.add(Candidate.of(p, properties));
        }
        return new Probers(sorted(list), properties);
    }

    private static List<Candidate> sorted(List<Candidate> list) {
        list.sort(Comparator.comparingInt(Candidate::priority).reversed().thenComparing(Candidate::name));
        return List.copyOf(list);
    }

    /** Every provider found, highest priority first. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** The name chosen by the system property, if set. */
    public Optional<String> requestedName() {
        String value = properties.apply(PROBER_PROPERTY);
        return value == null || value.trim().isEmpty() ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * The provider to use: {@code name} if given, else the system property, else the best available.
     *
     * @throws ProberUnavailableException naming the problem, one line per candidate when none fits
     */
    public ProberProvider choose(Optional<String> name) {
        // Android API 26 has neither String.isBlank nor Optional.or
        Optional<String> given = name.filter(n -> !n.trim().isEmpty());
        Optional<String> wanted = given.isPresent() ? given : requestedName();
        if (wanted.isPresent()) {
            String n = wanted.get().toLowerCase(Locale.ROOT);
            Candidate c = candidates.stream().filter(x -> x.name().equals(n)).findFirst()
                    .orElseThrow(() -> new ProberUnavailableException("no prober named '" + wanted.get()
                            + "'; found: " + candidates.stream().map(Candidate::name).collect(Collectors.joining(", "))));
            if (!c.available()) {
                throw new ProberUnavailableException("prober '" + c.name() + "' is unavailable: " + c.reason(), c.cause().orElse(null));
            }
            return c.provider().get();
        }
        return candidates.stream().filter(Candidate::available).findFirst()
                .flatMap(Candidate::provider)
                .orElseThrow(() -> new ProberUnavailableException("no prober is available:\n" + report()));
    }

    /** Creates the chosen prober; the caller closes it. */
    public Prober open(Optional<String> name) {
        return choose(name).create();
    }

    /** One line per candidate: name, priority, and available or why not. */
    public String report() {
        if (candidates.isEmpty()) {
            return "  (no prober found: put a prober jar on the class path)";
        }
        return candidates.stream().map(Candidate::describe).collect(Collectors.joining("\n"));
    }

    /**
     * A provider as found. Its availability is judged once, when first asked: choosing walks the
     * candidates by priority and stops at the first available one, so a command that needs one
     * prober does not pay for trying the others (measured: about 10 ms of a ping's start-up).
     */
    public static final class Candidate {
        private final ProberProvider provider;
        private final String name;
        private final int priority;
        private final UnaryOperator<String> properties;
        private volatile Throwable cause; // with judged: null when available
        private volatile boolean judged;

        private Candidate(ProberProvider provider, String name, int priority, UnaryOperator<String> properties) {
            this.provider = provider;
            this.name = name;
            this.priority = priority;
            this.properties = properties;
        }

        static Candidate of(ProberProvider p, UnaryOperator<String> properties) {
            try {
                return new Candidate(p, p.name(), p.priority(), properties);
            } catch (RuntimeException | LinkageError e) {
                return unusable(p, p.getClass().getName(), e);
            }
        }

        static Candidate broken(ServiceConfigurationError e) {
            return unusable(null, "(failed to load)", e);
        }

        private static Candidate unusable(ProberProvider p, String name, Throwable cause) {
            Candidate c = new Candidate(p, name, Integer.MIN_VALUE, n -> null);
            c.cause = cause;
            c.judged = true;
            return c;
        }

        /** Why the provider cannot be used, or null when it can; asks the provider the first time only. */
        private Throwable unavailability() {
            if (!judged) {
                synchronized (this) {
                    if (!judged) {
                        cause = judge();
                        judged = true;
                    }
                }
            }
            return cause;
        }

        private Throwable judge() {
            try {
                if (provider.isNative() && Boolean.parseBoolean(properties.apply(NO_NATIVE_PROPERTY))) {
                    return new ProberUnavailableException("native probers are disabled by -D" + NO_NATIVE_PROPERTY + "=true");
                }
                return provider.isAvailable() ? null : provider.unavailabilityCause()
                        .orElseGet(() -> new ProberUnavailableException("unavailable, no reason given"));
            } catch (RuntimeException | LinkageError e) {
                return e;
            }
        }

        public String name() {
            return name;
        }

        public int priority() {
            return priority;
        }

        public boolean available() {
            return unavailability() == null;
        }

        public Optional<Throwable> cause() {
            return Optional.ofNullable(unavailability());
        }

        public Optional<ProberProvider> provider() {
            return Optional.ofNullable(provider);
        }

        /** Why it is unavailable, one line; empty when available. */
        public String reason() {
            Throwable cause = unavailability();
            if (cause == null) {
                return "";
            }
            String message = cause.getMessage();
            return message == null ? cause.getClass().getName() : message.replace('\n', ' ');
        }

        /** What a user of this available prober should know (see {@link ProberProvider#availabilityNote()}); empty when nothing. */
        public Optional<String> note() {
            if (provider == null || !available()) {
                return Optional.empty();
            }
            try {
                return provider.availabilityNote();
            } catch (RuntimeException | LinkageError e) {
                return Optional.empty(); // a plugin's own fault here must not hide the listing
            }
        }

        String describe() {
            String state = available() ? "available" + note().map(n -> " (note: " + n.replace('\n', ' ') + ")").orElse("")
                    : "unavailable: " + reason();
            return String.format(Locale.ROOT, "  %-14s priority %4s  %s", name,
                    priority == Integer.MIN_VALUE ? "-" : Integer.toString(priority), state);
        }
    }
}
