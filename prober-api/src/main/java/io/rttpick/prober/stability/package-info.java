/**
 * API: the marks that say what each package is: {@link io.rttpick.prober.stability.Api} (stable),
 * {@link io.rttpick.prober.stability.Spi} (for plugin authors), {@link io.rttpick.prober.stability.Internal}.
 * Every package-info of rttpick carries one (checked by the examples' StabilityMarksTest), and
 * .ci/api-check compares the API and SPI packages' jars with those of the last release.
 */
@Api
package io.rttpick.prober.stability;
