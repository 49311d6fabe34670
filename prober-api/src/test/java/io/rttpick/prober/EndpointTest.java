package io.rttpick.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {
    private static final String KEY = "a".repeat(64) + "0123456789ABCDEF".repeat(4);
    private static final String PEER = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";

    @Test
    void hostAndPort() {
        Endpoint e = Endpoint.parse("mail.example.org:993");
        assertEquals("mail.example.org", e.host());
        assertEquals(993, e.port());
        assertEquals(Endpoint.Format.HOST_PORT, e.format());
        assertFalse(e.literalAddress().isPresent());
        assertEquals(AddressFamily.ANY, e.requiredFamily());
    }

    @Test
    void ipv4Literal() throws Exception {
        Endpoint e = Endpoint.parse("1.2.3.4:443");
        assertEquals(InetAddress.getByAddress(new byte[] {1, 2, 3, 4}), e.literalAddress().orElseThrow());
        assertEquals(443, e.port());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[2001:db8::1]:443|2001:db8:0:0:0:0:0:1",
        "[::1]:22|0:0:0:0:0:0:0:1",
        "[::]:1|0:0:0:0:0:0:0:0",
        "[1:2:3:4:5:6:7:8]:65535|1:2:3:4:5:6:7:8",
        "[64:ff9b::192.0.2.33]:80|64:ff9b:0:0:0:0:c000:221",
        "[fe80::]:80|fe80:0:0:0:0:0:0:0",
    })
    void ipv6Literals(String input, String expected) {
        InetAddress a = Endpoint.parse(input).literalAddress().orElseThrow();
        assertTrue(a instanceof Inet6Address, a.toString());
        assertEquals(expected, a.getHostAddress());
    }

    @Test
    void enode() {
        Endpoint e = Endpoint.parse("enode://" + KEY + "@10.0.0.7:30303?discport=30301");
        assertEquals(Endpoint.Format.ENODE, e.format());
        assertEquals("10.0.0.7", e.host());
        assertEquals(30303, e.port());
        assertEquals(KEY.toLowerCase(), e.nodeId().orElseThrow());
        assertEquals(30301, e.discoveryPort().getAsInt());
        assertFalse(Endpoint.parse("enode://" + KEY + "@[::1]:30303").discoveryPort().isPresent());
    }

    @Test
    void multiaddrs() {
        Endpoint ip4 = Endpoint.parse("/ip4/1.2.3.4/tcp/443");
        assertEquals(AddressFamily.IPV4, ip4.requiredFamily());
        assertEquals(443, ip4.port());
        Endpoint ip6 = Endpoint.parse("/ip6/2001:db8::5/tcp/30303/p2p/" + PEER);
        assertEquals(AddressFamily.IPV6, ip6.requiredFamily());
        assertEquals(PEER, ip6.nodeId().orElseThrow());
        assertEquals(AddressFamily.IPV4, Endpoint.parse("/dns4/node.example.org/tcp/1").requiredFamily());
        assertEquals(AddressFamily.IPV6, Endpoint.parse("/dns6/node.example.org/tcp/1").requiredFamily());
        Endpoint dns = Endpoint.parse("/dns/node.example.org/tcp/8080/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        assertEquals(AddressFamily.ANY, dns.requiredFamily());
        assertEquals("node.example.org", dns.host());
    }

    @Test
    void surroundingWhitespaceIsTolerated() {
        assertEquals(53, Endpoint.parse("  1.1.1.1:53\n").port());
        assertEquals("  1.1.1.1:53\n", Endpoint.parse("  1.1.1.1:53\n").input());
    }

    @Test
    void badPortReadsAsExistingClientsExpect() {
        InvalidEndpointException e = assertThrows(InvalidEndpointException.class, () -> Endpoint.parse("1.1.1.1:313121"));
        assertEquals("address 1.1.1.1:313121: invalid port", e.getMessage());
        assertEquals("1.1.1.1:313121", e.input());
        assertEquals("invalid port", e.reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty address",
        "313121|missing port",
        "1.1.1.1|missing port",
        "1.1.1.1:|invalid port",
        "1.1.1.1:0|invalid port",
        "1.1.1.1:65536|invalid port",
        "1.1.1.1:-1|invalid port",
        "1.1.1.1:+80|invalid port",
        "1.1.1.1:08x|invalid port",
        ":80|missing host",
        "256.1.1.1:80|invalid IPv4 address",
        "1.2.3:80|invalid IPv4 address",
        "01.2.3.4:80|invalid IPv4 address",
        "2001:db8::1:443|an IPv6 address must be in brackets",
        "[2001:db8::1:443|missing ']'",
        "[2001:db8::1]|missing port",
        "[2001:db8::1]443|expected ':'",
        "[2001:db8:::1]:443|invalid IPv6 address",
        "[1:2:3:4:5:6:7:8:9]:443|invalid IPv6 address",
        "[fe80::1%eth0]:443|zone ids are not supported",
        "exa_mple.org:80|invalid host name",
        "-bad.example:80|invalid host name",
        "a..b:80|invalid host name",
        "mail example.org:80|whitespace",
        "enode://abc@1.2.3.4:30303|invalid enode node id",
        "enode://" + "x|enode URL needs",
        "/ip4/1.2.3.4/udp/53|only /tcp/",
        "/ip4/1.2.3.4/tcp/99999|invalid port",
        "/ip4/1.2.3.4|expected /ip4",
        "/ip4/example.org/tcp/80|invalid IPv4 address",
        "/ip6/1.2.3.4/tcp/80|invalid IPv6 address",
        "/dns4/bad_name/tcp/80|invalid host name",
        "/onion3/abc/tcp/80|unsupported multiaddr protocol",
        "/ip4/1.2.3.4/tcp/80/p2p/not-a-peer-id!|invalid peer id",
        "/ip4/1.2.3.4/tcp/80/http/x|expected /ip4",
    })
    void malformedAddressesNameTheInputAndTheProblem(String input, String reason) {
        InvalidEndpointException e = assertThrows(InvalidEndpointException.class, () -> Endpoint.parse(input));
        assertTrue(e.getMessage().startsWith("address " + input + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void enodeWithDiscportZeroIsValidAsGethPrintsIt() {
        Endpoint e = Endpoint.parse("enode://" + KEY + "@10.0.0.7:30303?discport=0");
        assertEquals(30303, e.port());
        assertEquals(0, e.discoveryPort().getAsInt());
        assertThrows(InvalidEndpointException.class, () -> Endpoint.parse("enode://" + KEY + "@10.0.0.7:30303?discport=00"));
        assertThrows(InvalidEndpointException.class, () -> Endpoint.parse("enode://" + KEY + "@10.0.0.7:30303?discport=-1"));
    }

    @Test
    void ipv6GroupsTakeOnlyAsciiHexDigits() {
        // fullwidth digits are digits to Character.digit: "２００１" must not become 2001
        InvalidEndpointException e = assertThrows(InvalidEndpointException.class,
                () -> Endpoint.parse("[\uff12\uff10\uff10\uff11:db8::1]:443"));
        assertTrue(e.getMessage().startsWith("address [\uff12"), e.getMessage());
        assertThrows(InvalidEndpointException.class, () -> Endpoint.parse("[\u0662001:db8::1]:443")); // Arabic-Indic two
        assertEquals("2001:db8:0:0:0:0:0:1", Endpoint.parse("[2001:DB8::1]:443").literalAddress().orElseThrow().getHostAddress());
    }

    @Test
    void enodeDiscportIsChecked() {
        InvalidEndpointException e = assertThrows(InvalidEndpointException.class,
                () -> Endpoint.parse("enode://" + KEY + "@1.2.3.4:30303?discport=70000"));
        assertTrue(e.getMessage().endsWith("invalid discport"), e.getMessage());
    }

    @Test
    void nullAndControlCharactersAreReportedPrintably() {
        assertEquals("address (null): address is missing",
                assertThrows(InvalidEndpointException.class, () -> Endpoint.parse(null)).getMessage());
        String msg = assertThrows(InvalidEndpointException.class, () -> Endpoint.parse("a\u0000b:1")).getMessage();
        assertTrue(msg.startsWith("address a\\u0000b:1: "), msg);
    }

    @Test
    void equalityFollowsTheInput() {
        assertEquals(Endpoint.parse("a.example:1"), Endpoint.parse("a.example:1"));
        assertFalse(Endpoint.parse("a.example:1").equals(Endpoint.parse("a.example:2")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[2001:DB8::1]:993|[2001:db8:0:0:0:0:0:1]:993",
        "[2001:db8:0::1]:993|[2001:db8:0:0:0:0:0:1]:993",
        "Mail.Example.ORG.:993|mail.example.org:993",
        "mail.example.org:993|mail.example.org:993",
        "127.0.0.1:80|127.0.0.1:80",
        "/ip4/127.0.0.1/tcp/80|127.0.0.1:80",
        "/dns4/Mail.Example.org/tcp/993|mail.example.org:993"})
    void theKeyIsTheServerHoweverItWasWritten(String input, String key) {
        assertEquals(key, Endpoint.parse(input).key());
    }

    @Test
    void anEnodeIsKeyedByItsHostAndTcpPort() {
        assertEquals("127.0.0.1:30303", Endpoint.parse("enode://" + KEY + "@127.0.0.1:30303?discport=30301").key());
    }
}
