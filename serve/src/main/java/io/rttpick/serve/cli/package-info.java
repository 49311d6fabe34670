/**
 * Internal: {@code rttpick serve}, a {@link io.rttpick.cli.Command}.
 */
package io.rttpick.serve.cli;
