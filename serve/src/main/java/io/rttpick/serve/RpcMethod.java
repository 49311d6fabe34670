package io.rttpick.serve;

import com.fasterxml.jackson.databind.JsonNode;
import reactor.core.publisher.Mono;

/**
 * One JSON-RPC method: params in (null when absent), a result out, or an {@link RpcException}
 * (thrown at once for bad params, or as the Mono's error). Never blocks: it runs on the event loop.
 */
@FunctionalInterface
interface RpcMethod {
    Mono<?> call(JsonNode params);
}
