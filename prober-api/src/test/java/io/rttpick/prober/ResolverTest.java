package io.rttpick.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The system resolver answers RFC 6761's special-use names itself; the rest goes to the system. */
class ResolverTest {

    @Test
    void invalidNamesFailWithoutAQueryNamingTheRule() {
        for (String name : List.of("nosuchhost.invalid", "INVALID", "a.b.Invalid.", "invalid.")) {
            UnknownHostException e = assertThrows(UnknownHostException.class, () -> Resolver.system().resolve(name), name);
            assertTrue(e.getMessage().contains("RFC 6761") && e.getMessage().contains("without a DNS query"), e.getMessage());
        }
    }

    @Test
    void localhostAndItsSubdomainsAreLoopbackIpv4First() throws UnknownHostException {
        for (String name : List.of("localhost", "LOCALHOST.", "mail.localhost", "a.b.localhost")) {
            List<String> found = Resolver.system().resolve(name).stream().map(InetAddress::getHostAddress).collect(Collectors.toList());
            assertEquals(List.of("127.0.0.1", "0:0:0:0:0:0:0:1"), found, name);
        }
    }

    @Test
    void otherNamesAndLiteralsGoToTheSystem() throws UnknownHostException {
        assertEquals(List.of(InetAddress.getByName("127.0.0.9")), Resolver.system().resolve("127.0.0.9"));
        assertEquals(List.of(InetAddress.getByName("::1")), Resolver.system().resolve("::1"));
        // names that only look alike are not special
        assertThrows(UnknownHostException.class, () -> Resolver.system().resolve("notlocalhost.invalid"));
    }
}
