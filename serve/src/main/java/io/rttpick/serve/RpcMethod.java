package io.rttpick.serve;

import reactor.core.publisher.Mono;

/**
 * What a JSON-RPC method does: its params in (already checked against the method's declared
 * count), a result out, or an {@link RpcException} (thrown at once for bad params, or as the
 * Mono's error). Never blocks: it runs on the event loop.
 */
@FunctionalInterface
interface RpcMethod {
    Mono<?> call(Params params);
}
