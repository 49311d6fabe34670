/**
 * API: choosing a server: {@link io.rttpick.selector.RttSelector} (one pick or ranking) and {@link
 * io.rttpick.selector.FleetSelector} (a server kept while a client runs), their choices and
 * rankings. {@code FleetPolicy}, the snapshot and the queue behind the fleet selector are
 * internal.
 */
@Api
package io.rttpick.selector;

import io.rttpick.prober.stability.Api;
