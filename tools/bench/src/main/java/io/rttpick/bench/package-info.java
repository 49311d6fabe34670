/**
 * Internal: {@code rttpick bench}, {@code scrape-bench} and {@code demo} over the simulated fleet.
 */
@Internal
package io.rttpick.bench;

import io.rttpick.prober.stability.Internal;
