package io.refcat.federation;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which URLs may be peers. A peer list comes from other nodes, so a node must not be talked into
 * requesting anything: only http and https, no user info, and never a link-local or cloud-metadata
 * address (169.254.0.0/16, fe80::/10, fd00:ec2::254) — checked on every address the name resolves
 * to. Loopback and private networks are allowed by default: sites federate inside their own
 * networks, and the tests run on loopback. A site narrows this with its own networks: addresses in
 * a denied network are refused, and with allowed networks given, every address must be in one.
 */
public final class PeerUrls {
    /** The default policy: the fixed refusals only. */
    public static final PeerUrls DEFAULT = new PeerUrls(List.of(), List.of());

    private final List<Network> allow;
    private final List<Network> deny;

    public PeerUrls(List<String> allow, List<String> deny) {
        this.allow = allow.stream().map(Network::parse).toList();
        this.deny = deny.stream().map(Network::parse).toList();
    }

    /** An address block in CIDR form ({@code 10.0.0.0/8}, {@code fd00::/8}; a bare address is one host). */
    record Network(byte[] prefix, int bits) {
        static Network parse(String cidr) {
            String[] parts = cidr.trim().split("/", 2);
            try {
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
                if (bits < 0 || bits > address.length * 8 || !parts[0].matches("[0-9A-Fa-f:.]+")) {
                    throw new IllegalArgumentException("not a network: " + cidr);
                }
                return new Network(address, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a network: " + cidr);
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((b[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A peer URL that cannot be used, and why. */
    public static final class RefusedUrl extends RuntimeException {
        public RefusedUrl(String url, String why) {
            super("peer URL '" + url + "' refused: " + why);
        }
    }

    /** The URL without a trailing slash, checked for scheme and form. */
    public static String normalize(String url) {
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new RefusedUrl(url, "not a URL");
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new RefusedUrl(url, "only http and https are allowed");
        }
        if (u.getHost() == null || u.getUserInfo() != null || u.getQuery() != null || u.getFragment() != null) {
            throw new RefusedUrl(url, "a base URL is scheme://host[:port][/path]");
        }
        String s = u.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** {@link #normalize} and a check of every address the host resolves to. */
    public String check(String url) {
        String normalized = normalize(url);
        String host = URI.create(normalized).getHost();
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host));
        } catch (UnknownHostException e) {
            throw new RefusedUrl(url, "host '" + host + "' does not resolve");
        }
        for (InetAddress a : addresses) {
            if (a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress() || metadata(a)) {
                throw new RefusedUrl(url, "address " + a.getHostAddress() + " is link-local, unspecified or a "
                        + "cloud metadata service");
            }
            if (deny.stream().anyMatch(n -> n.contains(a))) {
                throw new RefusedUrl(url, "address " + a.getHostAddress() + " is in a denied network");
            }
            if (!allow.isEmpty() && allow.stream().noneMatch(n -> n.contains(a))) {
                throw new RefusedUrl(url, "address " + a.getHostAddress() + " is in no allowed network");
            }
        }
        return normalized;
    }

    private static boolean metadata(InetAddress a) {
        byte[] b = a.getAddress();
        // fd00:ec2::254, AWS's IPv6 metadata endpoint
        return b.length == 16 && (b[0] & 0xff) == 0xfd && b[1] == 0 && (b[2] & 0xff) == 0x0e && (b[3] & 0xff) == 0xc2
                && b[15] == (byte) 0x54 && b[14] == 0x02;
    }
}
