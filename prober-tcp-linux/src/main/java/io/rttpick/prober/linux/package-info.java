/**
 * Internal: the {@code linux-epoll} prober, half-open with the kernel's {@code tcpi_rtt} (a
 * ServiceLoader plugin); {@code LinuxEpoll} is its availability facade.
 */
@Internal
package io.rttpick.prober.linux;

import io.rttpick.prober.stability.Internal;
