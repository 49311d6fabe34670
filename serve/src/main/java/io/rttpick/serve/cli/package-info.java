/**
 * Internal: {@code rttpick serve}, a {@link io.rttpick.cli.Command}.
 */
@Internal
package io.rttpick.serve.cli;

import io.rttpick.prober.stability.Internal;
