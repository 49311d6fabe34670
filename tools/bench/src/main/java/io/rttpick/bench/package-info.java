/**
 * Internal: {@code rttpick bench}, {@code scrape-bench} and {@code demo} over the simulated fleet.
 */
package io.rttpick.bench;
