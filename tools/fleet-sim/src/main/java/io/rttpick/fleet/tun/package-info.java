/**
 * API for tests and tools: the simulated fleet behind a TUN device, its plans and its records.
 */
package io.rttpick.fleet.tun;
