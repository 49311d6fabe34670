/**
 * Internal: the {@code darwin-kqueue} prober (a ServiceLoader plugin); {@code DarwinKqueue} is its
 * availability facade.
 */
@Internal
package io.rttpick.prober.darwin;

import io.rttpick.prober.stability.Internal;
