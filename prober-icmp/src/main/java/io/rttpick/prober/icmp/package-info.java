/**
 * Internal: the {@code icmp} plugin, unprivileged ICMP echo, written as a third party would write
 * a prober.
 */
package io.rttpick.prober.icmp;
