/**
 * API: {@link io.rttpick.selector.store.FileRankingStore}, the fleet selector's remembered rankings in a file.
 */
@Api
package io.rttpick.selector.store;

import io.rttpick.prober.stability.Api;
