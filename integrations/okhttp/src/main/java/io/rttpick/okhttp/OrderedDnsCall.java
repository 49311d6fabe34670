package io.rttpick.okhttp;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;

/**
 * The delegate's {@link Dns.Call}, its records held until the last batch, then handed on at once:
 * the other records as they came, then the IP address records in the fleet's order (an address
 * the order leaves out leaves with its records).
 */
final class OrderedDnsCall implements Dns.Call {
    private final Dns.Request request;
    private final Dns.Call inner;
    private final OrderingDns dns;
    private final int port;

    OrderedDnsCall(Dns.Request request, Dns.Call inner, OrderingDns dns, int port) {
        this.request = request;
        this.inner = inner;
        this.dns = dns;
        this.port = port;
    }

    @Override
    public Dns.Request getRequest() {
        return request;
    }

    @Override
    public void enqueue(Dns.Callback callback) {
        inner.enqueue(new Dns.Callback() {
            private final List<Dns.Record> records = new ArrayList<>();

            @Override
            public void onRecords(Dns.Call call, boolean last, List<? extends Dns.Record> batch) {
                records.addAll(batch);
                if (last) {
                    callback.onRecords(OrderedDnsCall.this, true, ordered(records));
                }
            }

            @Override
            public void onFailure(Dns.Call call, IOException e) {
                callback.onFailure(OrderedDnsCall.this, e);
            }
        });
    }

    private List<Dns.Record> ordered(List<Dns.Record> records) {
        List<Dns.Record> out = new ArrayList<>(records.size());
        Map<InetAddress, List<Dns.Record>> byAddress = new LinkedHashMap<>();
        for (Dns.Record r : records) {
            if (r instanceof Dns.Record.IpAddress) {
                byAddress.computeIfAbsent(((Dns.Record.IpAddress) r).address(), a -> new ArrayList<>()).add(r);
            } else {
                out.add(r);
            }
        }
        for (InetAddress a : dns.order(request.hostname(), port, new ArrayList<>(byAddress.keySet()))) {
            out.addAll(byAddress.get(a));
        }
        return out;
    }

    @Override
    public void cancel() {
        inner.cancel();
    }

    @Override
    public boolean isCanceled() {
        return inner.isCanceled();
    }
}
