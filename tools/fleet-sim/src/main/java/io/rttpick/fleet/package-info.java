/**
 * API for tests and tools: simulated servers on loopback.
 */
package io.rttpick.fleet;
