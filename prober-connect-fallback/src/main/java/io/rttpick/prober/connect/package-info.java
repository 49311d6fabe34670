/**
 * Internal: the {@code connect} prober, java.nio with no native code (a ServiceLoader plugin; its
 * provider is the entry point).
 */
@Internal
package io.rttpick.prober.connect;

import io.rttpick.prober.stability.Internal;
