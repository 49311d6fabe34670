package io.rttpick.prober.android;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * The two things the Android prober asks of Android, behind an interface so that they can be
 * tested off a device: the API level, and {@code android.system.Os.setsockoptInt} on a socket.
 */
interface AndroidOs {

    /** {@code android.os.Build.VERSION.SDK_INT}. */
    int sdkInt();

    /** setsockopt with an int value on {@code channel}'s socket. */
    void setsockoptInt(SocketChannel channel, int level, int option, int value) throws IOException;
}
