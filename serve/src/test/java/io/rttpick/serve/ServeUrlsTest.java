package io.rttpick.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServeUrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|http://127.0.0.1:8545/",
        "0.0.0.0|http://127.0.0.1:8545/",
        "::|http://[::1]:8545/",
        "::1|http://[::1]:8545/",
        "2001:db8:0:0:1:0:0:1|http://[2001:db8::1:0:0:1]:8545/",
        "2001:db8:0:0:0:0:0:0|http://[2001:db8::]:8545/",
        "fe80:0:0:0:0:0:0:7|http://[fe80::7]:8545/",
        "192.0.2.7|http://192.0.2.7:8545/"})
    void everyPrintedUrlOpensAsItIs(String address, String url) throws Exception {
        String printed = ServeUrls.of(new InetSocketAddress(InetAddress.getByName(address), 8545));
        assertEquals(url, printed);
        assertEquals(8545, URI.create(printed).getPort());
    }
}
