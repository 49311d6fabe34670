package io.rttpick.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.spi.ProberProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbersTest {
    private final FakeProvider linux = new FakeProvider("linux-epoll", 100, true, null);
    private final FakeProvider darwin = new FakeProvider("darwin-kqueue", 90, true, "not macOS");
    private final FakeProvider connect = new FakeProvider("connect", 10, false, null);

    private static Probers probers(Map<String, String> props, ProberProvider... providers) {
        return Probers.of(List.of(providers), props::get);
    }

    @Test
    void highestAvailablePriorityWins() {
        assertEquals("linux-epoll", probers(Map.of(), connect, darwin, linux).choose(Optional.empty()).name());
    }

    @Test
    void candidatesAreSortedAndReportedWithReasons() {
        Probers p = probers(Map.of(), connect, darwin, linux);
        assertEquals(List.of("linux-epoll", "darwin-kqueue", "connect"),
                p.candidates().stream().map(Probers.Candidate::name).collect(java.util.stream.Collectors.toList()));
        String report = p.report();
        assertTrue(report.contains("darwin-kqueue") && report.contains("unavailable: not macOS"), report);
        assertTrue(report.lines().filter(l -> l.contains("connect")).allMatch(l -> l.contains("available")), report);
    }

    @Test
    void explicitNameWinsOverPriority() {
        assertEquals("connect", probers(Map.of(), linux, connect).choose(Optional.of("connect")).name());
    }

    @Test
    void systemPropertyNamesTheProber() {
        assertEquals("connect", probers(Map.of(Probers.PROBER_PROPERTY, "connect"), linux, connect)
                .choose(Optional.empty()).name());
    }

    @Test
    void namedButUnavailableIsAnErrorWithItsReason() {
        ProberUnavailableException e = assertThrows(ProberUnavailableException.class,
                () -> probers(Map.of(), darwin, connect).choose(Optional.of("darwin-kqueue")));
        assertEquals("prober 'darwin-kqueue' is unavailable: not macOS", e.getMessage());
    }

    @Test
    void unknownNameListsWhatExists() {
        ProberUnavailableException e = assertThrows(ProberUnavailableException.class,
                () -> probers(Map.of(), linux, connect).choose(Optional.of("icmp")));
        assertEquals("no prober named 'icmp'; found: linux-epoll, connect", e.getMessage());
    }

    @Test
    void noNativeSwitchesOffNativeProbersWithThatReason() {
        Probers p = probers(Map.of(Probers.NO_NATIVE_PROPERTY, "true"), linux, connect);
        assertEquals("connect", p.choose(Optional.empty()).name());
        Probers.Candidate c = p.candidates().get(0);
        assertFalse(c.available());
        assertTrue(c.reason().contains("rttpick.noNative=true"), c.reason());
    }

    @Test
    void noneAvailableGivesOneLinePerCandidate() {
        ProberUnavailableException e = assertThrows(ProberUnavailableException.class,
                () -> probers(Map.of(Probers.NO_NATIVE_PROPERTY, "true"), linux, darwin).choose(Optional.empty()));
        assertTrue(e.getMessage().startsWith("no prober is available:\n"), e.getMessage());
        assertEquals(3, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aProviderThatThrowsIsListedNotFatal() {
        ProberProvider broken = new FakeProvider("broken", 50, false, null) {
            @Override
            public boolean isAvailable() {
                throw new IllegalStateException("boom");
            }
        };
        Probers p = probers(Map.of(), broken, connect);
        assertEquals("connect", p.choose(Optional.empty()).name());
        assertTrue(p.report().contains("boom"), p.report());
    }

    @Test
    void choosingAsksNoProviderBelowTheFirstAvailableAndEachOnlyOnce() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ProberProvider counted = new FakeProvider("counted", 50, false, null) {
            @Override
            public boolean isAvailable() {
                asked.incrementAndGet();
                return true;
            }
        };
        Probers p = probers(Map.of(), counted, linux);
        assertEquals("linux-epoll", p.choose(Optional.empty()).name());
        assertEquals(0, asked.get(), "a lower-priority provider was tried although a better one was available");
        p.report();
        p.report();
        assertEquals(1, asked.get(), "availability is judged once per candidate");
    }

    @Test
    void serviceLoaderFindsNothingInTheApiAlone() {
        assertTrue(Probers.load().candidates().isEmpty());
        assertTrue(Probers.load().report().contains("no prober found"));
    }

    static class FakeProvider implements ProberProvider {
        private final String name;
        private final int priority;
        private final boolean isNative;
        private final String unavailable;

        FakeProvider(String name, int priority, boolean isNative, String unavailable) {
            this.name = name;
            this.priority = priority;
            this.isNative = isNative;
            this.unavailable = unavailable;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public boolean isNative() {
            return isNative;
        }

        @Override
        public boolean isAvailable() {
            return unavailable == null;
        }

        @Override
        public Optional<Throwable> unavailabilityCause() {
            return Optional.ofNullable(unavailable).map(ProberUnavailableException::new);
        }

        @Override
        public String description() {
            return "fake";
        }

        @Override
        public Prober create() {
            throw new UnsupportedOperationException("the choice tests never create one");
        }
    }
}
