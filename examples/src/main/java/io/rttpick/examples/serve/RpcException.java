package io.rttpick.examples.serve;

/** A JSON-RPC error object: its code and a message that names the problem. */
final class RpcException extends RuntimeException {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** Implementation-defined server errors (-32000..-32099): limits, no fleet. */
    static final int LIMITED = -32000;
    static final int NO_FLEET = -32001;

    final int code;

    RpcException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static RpcException invalidParams(String message) {
        return new RpcException(INVALID_PARAMS, message);
    }
}
