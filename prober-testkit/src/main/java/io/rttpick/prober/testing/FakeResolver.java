package io.rttpick.prober.testing;

import io.rttpick.prober.Resolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A resolver with a fixed table, so no DNS query ever leaves the machine in a test. */
public final class FakeResolver implements Resolver {
    private final Map<String, List<InetAddress>> table = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    public FakeResolver map(String host, String... literals) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String literal : literals) {
            try {
                // literals only: getByName does not query DNS for them
                addresses.add(InetAddress.getByName(literal));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(literal, e);
            }
        }
        table.put(host, List.copyOf(addresses));
        return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        lookups.incrementAndGet();
        List<InetAddress> addresses = table.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        return addresses;
    }

    public int lookups() {
        return lookups.get();
    }
}
