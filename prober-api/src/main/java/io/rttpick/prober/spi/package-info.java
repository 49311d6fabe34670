/**
 * SPI: what a prober implements: a {@link io.rttpick.prober.spi.ProberProvider} (most simply an
 * {@link io.rttpick.prober.spi.AbstractProberProvider}), its {@link
 * io.rttpick.prober.spi.Availability} and canary, and a {@link io.rttpick.prober.spi.Transport}.
 */
@Spi
package io.rttpick.prober.spi;

import io.rttpick.prober.stability.Spi;
