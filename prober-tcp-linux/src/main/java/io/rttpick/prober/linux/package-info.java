/**
 * Internal: the {@code linux-epoll} prober, half-open with the kernel's {@code tcpi_rtt} (a
 * ServiceLoader plugin); {@code LinuxEpoll} is its availability facade.
 */
package io.rttpick.prober.linux;
