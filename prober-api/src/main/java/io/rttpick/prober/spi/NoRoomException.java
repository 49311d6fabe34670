package io.rttpick.prober.spi;

/**
 * No socket can be had right now (out of file descriptors or local ports). The attempt is not
 * failed: it waits until another attempt ends and frees room.
 */
public final class NoRoomException extends Exception {
    public NoRoomException(String message) {
        super(message);
    }
}
