/**
 * API: {@link io.rttpick.selector.store.FileRankingStore}, the fleet selector's remembered rankings in a file.
 */
package io.rttpick.selector.store;
