package io.rttpick.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestGuardTest {
    private final RequestGuard guard = new RequestGuard(8545);

    @Test
    void ownHostsWithOrWithoutTheirOwnOriginPass() {
        for (String host : new String[] {"127.0.0.1:8545", "localhost:8545", "LOCALHOST:8545", "[::1]:8545", "192.0.2.7:8545"}) {
            assertEquals(Optional.empty(), guard.refuse(host, null, null), host);
            assertEquals(Optional.empty(), guard.refuse(host, "http://" + host, "same-origin"), host);
        }
    }

    @Test
    void dnsRebindingIsRefusedByItsHostName() {
        assertTrue(guard.refuse("attacker.example:8545", null, null).orElseThrow().contains("Host 'attacker.example:8545'"));
        assertTrue(guard.refuse("127.0.0.1.nip.io:8545", null, null).isPresent());
        assertTrue(guard.refuse("127.0.0.1:80", null, null).isPresent(), "another port");
        assertTrue(guard.refuse("127.0.0.1", null, null).isPresent(), "no port");
        assertTrue(guard.refuse(null, null, null).isPresent());
        assertTrue(guard.refuse("[::1]", null, null).isPresent());
    }

    @Test
    void crossSiteRequestsAreRefusedByTheirOrigin() {
        assertTrue(guard.refuse("127.0.0.1:8545", "http://attacker.example", null).orElseThrow()
                .contains("Origin 'http://attacker.example'"));
        assertTrue(guard.refuse("127.0.0.1:8545", "null", null).isPresent(), "sandboxed frames send Origin: null");
        assertTrue(guard.refuse("127.0.0.1:8545", "http://localhost:8545", null).isPresent(), "another origin of the same machine");
        assertTrue(guard.refuse("127.0.0.1:8545", null, "cross-site").isPresent());
    }
}
