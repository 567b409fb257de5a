package io.refcat.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health checks: a peer that stops answering is marked down, then forgotten once down long enough. */
class GossipTest {
    @TempDir
    Path data;

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // closed again: nothing listens there
        }
    }

    @Test
    void aPeerDownLongerThanTheLimitIsDropped() throws Exception {
        String dead = "http://127.0.0.1:" + closedPort();
        Peers peers = Peers.open(data);
        peers.add(dead);
        try (Replicas replicas = new Replicas(data);
             Gossip gossip = new Gossip(NodeIdentity.load(data, "here", null), Set.of(), peers, replicas, new PeerClient(),
                     Duration.ofSeconds(30), Duration.ofMillis(300))) {
            Peer first = gossip.check(peers.get(dead).orElseThrow());
            assertEquals("down", first.status());
            assertTrue(first.reason() != null && !first.reason().isBlank(), "the peer says why it is down");
            assertTrue(peers.get(dead).isPresent(), "down for less than the limit: still a peer");
            Thread.sleep(400);
            gossip.check(peers.get(dead).orElseThrow());
            assertTrue(peers.get(dead).isEmpty(), "down longer than the limit: dropped");
            assertTrue(Peers.open(data).get(dead).isEmpty(), "and dropped from peers.json too");
        }
    }
}
