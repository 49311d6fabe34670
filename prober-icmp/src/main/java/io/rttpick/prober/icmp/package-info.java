/**
 * Internal: the {@code icmp} plugin, unprivileged ICMP echo, written as a third party would write
 * a prober.
 */
@Internal
package io.rttpick.prober.icmp;

import io.rttpick.prober.stability.Internal;
