/**
 * API for tests and tools: the client's own wire, captured with tcpdump, as the truth for RTTs.
 */
package io.rttpick.fleet.capture;
