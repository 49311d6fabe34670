/**
 * Examples: the README's {@code QuickStart} and a {@code FleetSelector} client, {@code
 * KeepAServer}; run by this module's tests.
 */
@Internal
package io.rttpick.examples;

import io.rttpick.prober.stability.Internal;
