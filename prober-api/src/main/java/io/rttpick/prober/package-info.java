/**
 * API: what users of the probers touch: {@link io.rttpick.prober.Prober}, {@link
 * io.rttpick.prober.Probers}, {@link io.rttpick.prober.ProbeOptions}, {@link
 * io.rttpick.prober.Endpoint}, {@link io.rttpick.prober.RttSample} and the events of a run.
 */
@Api
package io.rttpick.prober;

import io.rttpick.prober.stability.Api;
