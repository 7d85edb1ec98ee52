package io.nexusmonitor.discovery.logic;

import io.nexusmonitor.registry.UrlNormalizer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of a service's addresses to put in its URL, and how addresses are written. IPv4 first
 * (every client can reach it, no zone needed), then global IPv6, then link-local IPv6, which only
 * works with its zone ({@code fe80::1%eth0}), so a link-local address without one is never chosen.
 */
public final class ServiceAddresses {
    private ServiceAddresses() {}

    /** The address for the URL, or empty when none is usable. */
    public static Optional<InetAddress> choose(List<InetAddress> addresses) {
        return preferred(addresses).stream()
                .filter(a -> rank(a) < Integer.MAX_VALUE)
                .findFirst();
    }

    /** Every address, best first (stable: equal ranks keep announcement order). */
    public static List<InetAddress> preferred(List<InetAddress> addresses) {
        List<InetAddress> out = new ArrayList<>(addresses);
        out.sort(Comparator.comparingInt(ServiceAddresses::rank));
        return out;
    }

    private static int rank(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.isLinkLocalAddress() ? 1 : 0;
        }
        if (a.isLinkLocalAddress()) {
            return zone(a).isPresent() ? 3 : Integer.MAX_VALUE;
        }
        return 2;
    }

    /** {@code 192.168.1.10}, {@code 2001:db8::1}, {@code fe80::1%eth0}: the text shown to users. */
    public static String text(InetAddress a) {
        if (a instanceof Inet6Address) {
            String s = UrlNormalizer.compress(a.getAddress());
            return zone(a).map(z -> s + "%" + z).orElse(s);
        }
        return a.getHostAddress();
    }

    /** The host part of a URL: IPv6 in brackets. */
    public static String urlHost(InetAddress a) {
        return a instanceof Inet6Address ? "[" + text(a) + "]" : text(a);
    }

    /** The zone of a link-local IPv6 address: its interface name, else its numeric scope id. */
    static Optional<String> zone(InetAddress a) {
        if (!(a instanceof Inet6Address v6) || !a.isLinkLocalAddress()) {
            return Optional.empty();
        }
        NetworkInterface nif = v6.getScopedInterface();
        if (nif != null) {
            return Optional.of(nif.getName());
        }
        return v6.getScopeId() != 0 ? Optional.of(Integer.toString(v6.getScopeId())) : Optional.empty();
    }
}
