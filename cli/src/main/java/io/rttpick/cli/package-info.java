/**
 * API: the {@code rttpick} command line. {@link io.rttpick.cli.Main} and {@link
 * io.rttpick.cli.CapturedRun} run it; {@link io.rttpick.cli.Command} (an SPI, found through
 * ServiceLoader) and {@link io.rttpick.cli.Options} are how serve, demo and bench join it.
 */
@Api
package io.rttpick.cli;

import io.rttpick.prober.stability.Api;
