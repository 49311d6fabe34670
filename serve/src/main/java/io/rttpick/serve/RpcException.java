package io.rttpick.serve;

/** A JSON-RPC error object: its code and a message that names the problem. */
final class RpcException extends RuntimeException {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** Implementation-defined server errors (-32000..-32099): over a limit (the call may work later). */
    static final int LIMITED = -32000;
    /** Not done as the service is set up: it has no fleet, or the fleet is fixed. */
    static final int NO_FLEET = -32001;
    /** Not done without the token: the same family as {@link #NO_FLEET}, the message names what is missing. */
    static final int UNAUTHORIZED = -32001;

    final int code;

    RpcException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static RpcException invalidParams(String message) {
        return new RpcException(INVALID_PARAMS, message);
    }
}
