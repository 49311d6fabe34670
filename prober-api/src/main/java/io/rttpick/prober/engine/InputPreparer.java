package io.rttpick.prober.engine;

import io.rttpick.prober.AddressFamily;
import io.rttpick.prober.Endpoint;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.InvalidEndpointException;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.spi.EngineClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Turns the caller's strings into targets: parses each, takes IP literals as they are and
 * resolves names on a blocking-friendly scheduler, never on the event loop, so DNS time is
 * never part of an RTT. Every failure becomes a sample; nothing here throws.
 */
final class InputPreparer {
    private static final Logger log = LoggerFactory.getLogger(InputPreparer.class);
    private static final int RESOLVE_CONCURRENCY = 16;

    private final String proberName;
    private final EngineClock clock;

    InputPreparer(String proberName, EngineClock clock) {
        this.proberName = proberName;
        this.clock = clock;
    }

    /** Feeds {@code run}; calls {@code wakeup} whenever new input is there. */
    void feed(List<String> inputs, ProbeRun<?> run, Runnable wakeup) {
        List<Endpoint> toResolve = new ArrayList<>();
        List<Integer> toResolveIndex = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            Endpoint endpoint;
            try {
                endpoint = Endpoint.parse(input);
            } catch (InvalidEndpointException e) {
                run.offer(ready(i, input == null ? "" : input, null, Outcome.INVALID, e.getMessage()));
                continue;
            }
            if (endpoint.literalAddress().isPresent()) {
                run.offer(new Target(i, 0, input, endpoint,
                        new InetSocketAddress(endpoint.literalAddress().get(), endpoint.port())));
            } else {
                toResolve.add(endpoint);
                toResolveIndex.add(i);
            }
        }
        if (toResolve.isEmpty()) {
            run.inputEnded();
            wakeup.run();
            return;
        }
        wakeup.run();
        Set<Integer> offered = ConcurrentHashMap.newKeySet();
        run.resolvingBy(Flux.range(0, toResolve.size())
                .flatMap(k -> resolve(toResolveIndex.get(k), toResolve.get(k), run.options), RESOLVE_CONCURRENCY)
                .subscribe(input -> {
                    offered.add(input.index());
                    run.offer(input);
                    wakeup.run();
                }, error -> {
                    // resolve() maps every failure to a sample: reaching here is a bug. It is logged, and
                    // the inputs not offered yet still get a result each, as Prober promises
                    log.warn("prober {}: resolving stopped with an unexpected error; {} addresses get it as their result",
                            proberName, toResolve.size() - offered.size(), error);
                    String why = "resolving stopped with an unexpected error: " + describe(error);
                    for (int k = 0; k < toResolve.size(); k++) {
                        int index = toResolveIndex.get(k);
                        if (offered.add(index)) {
                            run.offer(ready(index, toResolve.get(k).input(), toResolve.get(k), Outcome.ERROR, why));
                        }
                    }
                    run.inputEnded();
                    safely(wakeup);
                }, () -> {
                    run.inputEnded();
                    wakeup.run();
                }));
    }

    /** The wake-up after an error: what failed before may fail again, and must not hide the results. */
    private void safely(Runnable wakeup) {
        try {
            wakeup.run();
        } catch (RuntimeException e) {
            log.warn("prober {}: waking the event loop failed", proberName, e);
        }
    }

    private Mono<RunInput> resolve(int index, Endpoint endpoint, ProbeOptions options) {
        AddressFamily family = endpoint.requiredFamily() != AddressFamily.ANY
                ? endpoint.requiredFamily() : options.family();
        return Mono.fromCallable(() -> options.resolver().resolve(endpoint.host()))
                .subscribeOn(Schedulers.boundedElastic())
                .map(addresses -> pick(index, endpoint, family, addresses))
                .onErrorResume(e -> Mono.just(ready(index, endpoint.input(), endpoint,
                        Outcome.RESOLVE_FAILED, "cannot resolve '" + endpoint.host() + "': " + describe(e))));
    }

    /** The first address of the wanted family, in the resolver's order. */
    private RunInput pick(int index, Endpoint endpoint, AddressFamily family, List<InetAddress> addresses) {
        if (addresses == null || addresses.isEmpty()) {
            return ready(index, endpoint.input(), endpoint, Outcome.RESOLVE_FAILED,
                    "cannot resolve '" + endpoint.host() + "': no address");
        }
        for (InetAddress a : addresses) {
            if (family.matches(a)) {
                return new Target(index, 0, endpoint.input(), endpoint, new InetSocketAddress(a, endpoint.port()));
            }
        }
        String found = addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
        return ready(index, endpoint.input(), endpoint, Outcome.RESOLVE_FAILED,
                "'" + endpoint.host() + "' has no " + (family == AddressFamily.IPV4 ? "IPv4" : "IPv6")
                        + " address (found " + found + ")");
    }

    /** The sample of an input that fails before any packet. */
    private ReadySample ready(int index, String input, Endpoint endpoint, Outcome outcome, String error) {
        return new ReadySample(RttSample.builder(index, input)
                .endpoint(endpoint)
                .failed(outcome, error)
                .handshake(Handshake.NONE)
                .startedAt(clock.wallTime())
                .prober(proberName)
                .build());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isEmpty() ? e.getClass().getSimpleName() : message;
    }
}
