/**
 * API: {@link io.rttpick.serve.RttpickService}, the JSON-RPC service, page, metrics and /probe,
 * and its {@link io.rttpick.serve.ServeSettings}; the rest is internal.
 */
@Api
package io.rttpick.serve;

import io.rttpick.prober.stability.Api;
