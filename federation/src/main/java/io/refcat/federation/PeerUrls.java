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
 * to. Loopback and private networks are allowed: sites federate inside their own networks, and the
 * tests run on loopback.
 */
public final class PeerUrls {
    private PeerUrls() {
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
    public static String check(String url) {
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
