package io.rttpick.bench;

import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.SocketAddresses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fleet of {@code rttpick demo}. Inside the namespace that {@code tools/fleet-sim/netns-run} made
 * (the launcher goes through it when it can): the seed fleet behind the TUN device, with real
 * delays. Elsewhere: three listening servers, one refusing and one silent on loopback, where
 * every answering server is FAST (loopback has no distance).
 */
final class DemoFleet implements AutoCloseable {
    private final AutoCloseable fleet;
    private final List<String> addresses = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final String description;
    private final String whyNotSimulated;

    private DemoFleet(AutoCloseable fleet, String description, String whyNotSimulated) {
        this.fleet = fleet;
        this.description = description;
        this.whyNotSimulated = whyNotSimulated;
    }

    /** {@code plan} behind the TUN device {@code RTTPICK_FLEET_DEVICE} names, else the loopback fleet. */
    static DemoFleet start(Map<String, String> env, FleetPlan plan) throws IOException {
        String device = env.get("RTTPICK_FLEET_DEVICE");
        if (device != null) {
            DemoFleet demo = new DemoFleet(TunFleet.start(plan, device),
                    plan.servers().size() + " servers simulated behind a TUN device in a network namespace", null);
            for (FleetPlan.Server s : plan.servers()) {
                demo.add(SocketAddresses.format(new InetSocketAddress(s.address, 993)), s.name);
            }
            return demo;
        }
        String why = env.getOrDefault("RTTPICK_FLEET_UNAVAILABLE", "not started through ./rttpick");
        LoopbackFleet loopback = new LoopbackFleet();
        DemoFleet demo = new DemoFleet(loopback, "demo fleet on loopback: 3 listening servers, 1 refusing, 1 silent",
                "the simulated seed fleet needs a network namespace and a TUN device: " + why
                        + "; showing a loopback fleet instead (run ./rttpick demo as root for the seed fleet)");
        try {
            for (int i = 1; i <= 3; i++) {
                demo.add(loopback.open(), "listening-" + i);
            }
            demo.add(loopback.closed(), "refusing");
            demo.add(loopback.silent(), "silent");
        } catch (IOException e) {
            loopback.close();
            throw e;
        }
        return demo;
    }

    private void add(String address, String name) {
        addresses.add(address);
        names.add(name);
    }

    boolean isSimulated() {
        return whyNotSimulated == null;
    }

    String whyNotSimulated() {
        return whyNotSimulated;
    }

    String description() {
        return description;
    }

    List<String> addresses() {
        return List.copyOf(addresses);
    }

    List<String> names() {
        return List.copyOf(names);
    }

    @Override
    public void close() throws Exception {
        fleet.close();
    }
}
