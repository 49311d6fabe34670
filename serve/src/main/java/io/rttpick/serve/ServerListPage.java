package io.rttpick.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The one page of {@code serve}: plain HTML, CSS and script in one resource, no framework. */
final class ServerListPage {
    private ServerListPage() {
    }

    static byte[] html() {
        try (InputStream in = ServerListPage.class.getResourceAsStream("server-list.html")) {
            if (in == null) {
                throw new IllegalStateException("server-list.html is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
