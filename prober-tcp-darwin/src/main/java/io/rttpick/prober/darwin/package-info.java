/**
 * Internal: the {@code darwin-kqueue} prober (a ServiceLoader plugin); {@code DarwinKqueue} is its
 * availability facade.
 */
package io.rttpick.prober.darwin;
