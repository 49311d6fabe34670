/**
 * API: {@link io.rttpick.prober.linux.diag.ConnectionRtt}, the kernel's RTT of an open TCP
 * connection read through {@code sock_diag}, for {@code FleetSelector.observe}. Linux only.
 */
@Api
package io.rttpick.prober.linux.diag;

import io.rttpick.prober.stability.Api;
