package io.rttpick.prober;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Which IP family to probe when a name resolves to several addresses. */
public enum AddressFamily {
    ANY, IPV4, IPV6;

    public boolean matches(InetAddress address) {
        switch (this) {
            case IPV4: return address instanceof Inet4Address;
            case IPV6: return address instanceof Inet6Address;
            default: return true;
        }
    }
}
