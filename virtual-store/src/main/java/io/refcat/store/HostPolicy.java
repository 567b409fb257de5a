package io.refcat.store;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where absolute URLs (STAC links, asset hrefs, federation answers) get their scheme and host. A
 * configured public URL ({@code serve --public-url}) is used whatever the request says. Without
 * one, the request's {@code Host} is used only if it names this machine (localhost, its host
 * name, an address of one of its interfaces) or a name given with {@code --allowed-host}; any
 * other Host is answered 421 Misdirected Request, so a forged Host never reaches a link a cache
 * behind a proxy might keep (Django's ALLOWED_HOSTS, Vite's allowedHosts).
 */
public final class HostPolicy {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String ANY = "*";

    private final String publicUrl;
    private final Set<String> allowed;

    private HostPolicy(String publicUrl, Set<String> allowed) {
        this.publicUrl = publicUrl;
        this.allowed = Collections.unmodifiableSet(allowed);
    }

    /**
     * @param publicUrl the configured public URL, or null
     * @param extra     more host names (or {@code *}: any) whose Host headers are trusted
     */
    public static HostPolicy of(String publicUrl, List<String> extra) {
        Set<String> names = new TreeSet<>(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"));
        try {
            InetAddress self = InetAddress.getLocalHost();
            names.add(self.getHostName().toLowerCase(Locale.ROOT));
            names.add(self.getCanonicalHostName().toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            // no resolvable host name: the addresses below still name this machine
        }
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    names.add(normalised(a.getHostAddress()));
                }
            }
        } catch (SocketException e) {
            // interfaces unknown: loopback and the names given still work
        }
        for (String e : extra) {
            names.add(e.equals(ANY) ? ANY : normalised(e));
        }
        return new HostPolicy(publicUrl, names);
    }

    /** The last Host header found allowed, as sent. */
    private volatile String lastAllowed;

    /** Before every request: the public URL for {@link StoreServer#baseUrl}, or a check of the Host. */
    public void apply(Context ctx) {
        if (publicUrl != null) {
            ctx.attribute(StoreServer.PUBLIC_URL, publicUrl);
            return;
        }
        String host = ctx.header("Host");
        if (allows(host)) {
            return;
        }
        throw new StoreException(421, "Host not served", "this server does not answer for Host '"
                + host.replaceAll("[^\\x20-\\x7e]", "?") + "': start it with --public-url, or --allowed-host naming it");
    }

    /** Whether a request with this Host header (null: none) is answered. */
    public boolean allows(String host) {
        if (publicUrl != null || host == null || allowed.contains(ANY) || host.equals(lastAllowed)) {
            return true;
        }
        if (allowed.contains(normalised(withoutPort(host)))) {
            lastAllowed = host; // clients send the same Host on every request; normalising it costs more than serving a chunk's headers
            return true;
        }
        return false;
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 ? host.substring(1, close) : host;
        }
        int colon = host.indexOf(':');
        return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
    }

    private static boolean isIpv4(String h) {
        if (!IPV4.matcher(h).matches()) {
            return false;
        }
        for (String part : h.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** IP literals in one spelling (no DNS: only literals are parsed); names in lower case. */
    private static String normalised(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        int scope = h.indexOf('%');
        if (scope >= 0) {
            h = h.substring(0, scope);
        }
        try {
            if (isIpv4(h) || h.contains(":") && new java.net.URI("http://[" + h + "]/").getHost() != null) {
                return InetAddress.getByName(h).getHostAddress(); // a literal (the URI parser checked): no lookup
            }
        } catch (java.net.URISyntaxException | UnknownHostException e) {
            // not an address literal: compared as written
        }
        return h;
    }
}
