package io.rttpick.okhttp;

import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** A small OkHttp app that takes rttpick-okhttp: what OkHttpShrunkConsumerTest shrinks and runs. */
public final class OkHttpShrinkConsumer {
    private OkHttpShrinkConsumer() {
    }

    /** {@code args[0]}: the port; the rest: the addresses {@code fleet.test} resolves to. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            addresses.add(InetAddress.getByName(args[i]));
        }
        try (Prober prober = Probers.load().open(Optional.empty());
             RttpickOkHttp rttpick = RttpickOkHttp.builder(prober).port(port).build()) {
            OkHttpClient client = rttpick.install(new OkHttpClient.Builder().dns(host -> addresses).build());
            try (Response r = client.newCall(new Request.Builder().url("http://fleet.test:" + port + "/").build()).execute()) {
                System.out.println("answered by " + r.body().string());
            }
            System.out.println("handshakes reported " + rttpick.handshakesReported("fleet.test"));
            client.connectionPool().evictAll();
            client.dispatcher().executorService().shutdown();
        }
    }
}
