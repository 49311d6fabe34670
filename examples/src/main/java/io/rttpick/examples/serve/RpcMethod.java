package io.rttpick.examples.serve;

import com.fasterxml.jackson.databind.JsonNode;

/** One JSON-RPC method: params in (may be null when absent), a result out, or an {@link RpcException}. */
@FunctionalInterface
interface RpcMethod {
    Object call(JsonNode params);
}
