package io.rttpick.prober;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * What a probe run reports, in the order it happens: an attempt {@link Started}, and later its
 * {@link Completed} sample. Addresses that fail before any packet (invalid, unresolvable) only
 * have a {@code Completed} event.
 */
public sealed interface ProbeEvent permits ProbeEvent.Started, ProbeEvent.Completed {

    /** Position of the address in the caller's list. */
    int index();

    /** An attempt's connect is about to be issued: the address is now in flight. */
    final class Started implements ProbeEvent {
        private final int index;
        private final int attempt;
        private final String address;
        private final InetSocketAddress target;
        private final Instant at;

        public Started(int index, int attempt, String address, InetSocketAddress target, Instant at) {
            this.index = index;
            this.attempt = attempt;
            this.address = address;
            this.target = target;
            this.at = at;
        }

        @Override
        public int index() {
            return index;
        }

        public int attempt() {
            return attempt;
        }

        public String address() {
            return address;
        }

        public InetSocketAddress target() {
            return target;
        }

        public Instant at() {
            return at;
        }

        @Override
        public String toString() {
            return "Started[" + index + "#" + attempt + " " + address + "]";
        }
    }

    /** An attempt (or an address that never got one) has its sample. */
    final class Completed implements ProbeEvent {
        private final RttSample sample;

        public Completed(RttSample sample) {
            this.sample = sample;
        }

        @Override
        public int index() {
            return sample.index();
        }

        public RttSample sample() {
            return sample;
        }

        @Override
        public String toString() {
            return "Completed[" + sample + "]";
        }
    }
}
