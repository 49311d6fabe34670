/**
 * API: OkHttp's {@code Dns} ordered by the fleet selector, the {@code EventListener.Factory} that
 * reports each connection's handshake to it, and the choice among mirror hosts ({@link
 * io.rttpick.okhttp.RttpickOkHttp}).
 */
@Api
package io.rttpick.okhttp;

import io.rttpick.prober.stability.Api;
