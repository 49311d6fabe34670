/**
 * API: every JSON shape rttpick writes ({@link io.rttpick.output.ResultJson}; its field names are
 * an interface) and text made safe for terminals and logs.
 */
package io.rttpick.output;
