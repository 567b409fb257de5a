package io.refcat.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which URLs may be peers: a peer list must not turn a node into a tool against its own network. */
class PeerUrlsTest {
    private static String refused(PeerUrls policy, String url) {
        return assertThrows(PeerUrls.RefusedUrl.class, () -> policy.check(url)).getMessage();
    }

    @Test
    void metadataLinkLocalAndOtherSchemesAreAlwaysRefused() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://[fe80::1]:8080",
                "http://[fd00:ec2::254]/", "http://0.0.0.0:8080", "file:///etc/passwd", "ftp://example.org",
                "http://user:pw@127.0.0.1:8080", "http://127.0.0.1:8080/?x=1", "not a url")) {
            assertTrue(refused(PeerUrls.DEFAULT, url).startsWith("peer URL"), url);
        }
    }

    @Test
    void loopbackAndPrivateNetworksAreAllowedByDefaultAndNormalized() {
        assertEquals("http://127.0.0.1:8080", PeerUrls.DEFAULT.check("http://127.0.0.1:8080/"));
        assertEquals("https://10.1.2.3/refcat", PeerUrls.DEFAULT.check("https://10.1.2.3/refcat//"));
    }

    @Test
    void aSiteNarrowsPeersToItsNetworks() {
        PeerUrls onlyTen = new PeerUrls(List.of("10.0.0.0/8"), List.of());
        assertEquals("http://10.9.8.7", onlyTen.check("http://10.9.8.7"));
        assertTrue(refused(onlyTen, "http://127.0.0.1:8080").contains("no allowed network"));
        PeerUrls noLoopback = new PeerUrls(List.of(), List.of("127.0.0.0/8", "::1"));
        assertTrue(refused(noLoopback, "http://127.0.0.1:8080").contains("denied network"));
        assertTrue(refused(noLoopback, "http://[::1]:8080").contains("denied network"));
        assertThrows(IllegalArgumentException.class, () -> new PeerUrls(List.of("example.org/8"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new PeerUrls(List.of("10.0.0.0/33"), List.of()));
    }
}
