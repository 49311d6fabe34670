package io.rttpick.examples;

import io.rttpick.okhttp.RttpickOkHttp;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp with its host's addresses in rttpick's order ({@code docs/okhttp.md}): pass a URL; it
 * prints the status and the address that served it.
 */
public final class OkHttpNearest {
    private OkHttpNearest() {
    }

    public static void main(String[] args) throws IOException {
        HttpUrl url = HttpUrl.get(args[0]);
        AtomicReference<String> servedBy = new AtomicReference<>("?");
        EventListener appsOwn = new EventListener() {                     // the app's listener stays in place
            @Override
            public void connectionAcquired(Call call, Connection connection) {
                servedBy.set(connection.route().socketAddress().toString());
            }
        };
        try (Prober prober = Probers.load().open(Optional.empty());
             RttpickOkHttp rttpick = RttpickOkHttp.builder(prober).port(url.port()).build()) {
            OkHttpClient client = rttpick.install(new OkHttpClient.Builder().eventListener(appsOwn).build());
            try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
                System.out.println("GET " + url + ": " + response.code() + " from " + servedBy.get());
            }
            client.connectionPool().evictAll();
        }
    }
}
