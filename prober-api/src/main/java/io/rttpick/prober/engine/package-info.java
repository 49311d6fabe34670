/**
 * SPI: the event loop a prober runs its {@link io.rttpick.prober.spi.Transport} in ({@link
 * io.rttpick.prober.engine.EventLoopProber}): scheduling, deadlines, demand and cancellation.
 * Plugins such as icmp use it; its other classes are internal.
 */
@Spi
package io.rttpick.prober.engine;

import io.rttpick.prober.stability.Spi;
