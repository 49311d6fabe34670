/**
 * Internal: the {@code android-connect} prober, half-open through {@code android.system.Os} on API
 * 26+ (a ServiceLoader plugin).
 */
@Internal
package io.rttpick.prober.android;

import io.rttpick.prober.stability.Internal;
