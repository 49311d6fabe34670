/**
 * Examples: the README's {@code QuickStart} and a {@code FleetSelector} client, {@code
 * KeepAServer}; run by this module's tests.
 */
package io.rttpick.examples;
