/**
 * Internal: the {@code connect} prober, java.nio with no native code (a ServiceLoader plugin; its
 * provider is the entry point).
 */
package io.rttpick.prober.connect;
