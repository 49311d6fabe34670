package io.rttpick.prober.android;

import android.os.Build;
import android.os.ParcelFileDescriptor;
import android.system.ErrnoException;
import android.system.Os;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Android's public API only (checked against API 26 by animal-sniffer): {@code Os.setsockoptInt}
 * is public from API 26; {@code getsockoptInt} and {@code setsockoptLinger} are hidden, and
 * {@code fcntlInt} public only from API 30, so none of those is used. The socket's descriptor
 * comes from {@code ParcelFileDescriptor.fromSocket} (API 1): a duplicate, which shares the
 * socket and its options, closed at once.
 */
final class RealAndroidOs implements AndroidOs {

    @Override
    public int sdkInt() {
        return Build.VERSION.SDK_INT;
    }

    @Override
    public void setsockoptInt(SocketChannel channel, int level, int option, int value) throws IOException {
        try (ParcelFileDescriptor pfd = ParcelFileDescriptor.fromSocket(channel.socket())) {
            Os.setsockoptInt(pfd.getFileDescriptor(), level, option, value);
        } catch (ErrnoException e) {
            throw new IOException("setsockopt(" + level + ", " + option + "): " + e.getMessage(), e);
        }
    }
}
