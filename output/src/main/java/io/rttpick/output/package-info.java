/**
 * API: every JSON shape rttpick writes ({@link io.rttpick.output.ResultJson}; its field names are
 * an interface) and text made safe for terminals and logs.
 */
@Api
package io.rttpick.output;

import io.rttpick.prober.stability.Api;
