package io.nexusmonitor.discovery.logic;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses may become a backend's URL, for announcements and for manual adds alike.
 *
 * <p>Never: unspecified ({@code 0.0.0.0/8}, {@code ::}), multicast ({@code 224.0.0.0/4},
 * {@code ff00::/8}), the limited broadcast {@code 255.255.255.255} and the broadcast address of an
 * IPv4 {@code allow_subnets} block. Loopback ({@code 127.0.0.0/8}, {@code ::1}) only where the
 * user said so: an announcement from the LAN must not point the monitor at its own machine, so an
 * announced loopback address needs {@code [discovery] allow_loopback = true}. A manual add of
 * {@code localhost} is the user's own choice and is allowed, except that with {@code allow_subnets}
 * set it needs {@code allow_loopback} or a block that holds it. IPv4-mapped and IPv4-compatible
 * IPv6 addresses ({@code ::ffff:127.0.0.1}) are judged as the IPv4 address they carry.
 *
 * <p>For announcements, an address of one of this machine's interfaces counts as loopback (it is
 * this machine), and the broadcast addresses of this machine's IPv4 networks as broadcast.
 */
public final class AddressPolicy {
    private final SubnetFilter subnets;
    private final boolean allowLoopback;
    private final LocalNetwork local;

    public AddressPolicy(SubnetFilter subnets, boolean allowLoopback) {
        this(subnets, allowLoopback, LocalNetwork.NONE);
    }

    public AddressPolicy(SubnetFilter subnets, boolean allowLoopback, LocalNetwork local) {
        this.subnets = subnets;
        this.allowLoopback = allowLoopback;
        this.local = local;
    }

    /** An address left out, and the word for why: {@code loopback}, {@code multicast}, ... */
    public record Dropped(InetAddress address, String why) {
        @Override
        public String toString() {
            return ServiceAddresses.text(address) + " (" + why + ")";
        }
    }

    /** The addresses of an announcement that may be used, and the ones that may not. */
    public record Sorted(List<InetAddress> usable, List<Dropped> dropped) {}

    /**
     * Splits announced addresses: {@link #refusal} first, then {@code allow_subnets} (outside it is
     * dropped as {@code outside allow_subnets}). Order is kept.
     */
    public Sorted announced(List<InetAddress> addresses) {
        List<InetAddress> usable = new ArrayList<>();
        List<Dropped> dropped = new ArrayList<>();
        for (InetAddress a : addresses) {
            Optional<String> why = refusal(a);
            if (why.isEmpty() && !subnets.allows(a)) {
                why = Optional.of("outside allow_subnets");
            }
            if (why.isPresent()) {
                dropped.add(new Dropped(a, why.get()));
            } else {
                usable.add(a);
            }
        }
        return new Sorted(usable, dropped);
    }

    /**
     * Why an announced address is never used, or empty when it may be (subnets aside):
     * {@code unspecified}, {@code multicast}, {@code broadcast}, or {@code loopback} without allow_loopback.
     */
    public Optional<String> refusal(InetAddress address) {
        Optional<String> always = neverUsable(address);
        if (always.isPresent()) {
            return always;
        }
        if (allowLoopback) {
            return Optional.empty();
        }
        if (isLoopback(address)) {
            return Optional.of("loopback");
        }
        if (local.isOwn(address) || local.isOwn(unmapped(address))) {
            return Optional.of("an address of this machine");
        }
        return Optional.empty();
    }

    /**
     * Why a manually added host's address is refused, or empty: never-usable kinds as for
     * announcements; otherwise, with allow_subnets set, the address must be in a block, and a
     * loopback one needs a block that holds it or allow_loopback. Without allow_subnets, loopback
     * is fine (the user adds a server on this machine).
     */
    public Optional<String> manualRefusal(InetAddress address) {
        Optional<String> always = neverUsable(address);
        if (always.isPresent() || subnets.allowsAll()) {
            return always;
        }
        InetAddress a = unmapped(address);
        if (isLoopback(a)) {
            return allowLoopback || subnets.lists(a)
                    ? Optional.empty()
                    : Optional.of(
                            "loopback, and allow_subnets does not list it (set [discovery] allow_loopback = true)");
        }
        return subnets.allows(a) ? Optional.empty() : Optional.of("outside allow_subnets " + subnets);
    }

    public boolean restrictsManualAdds() {
        return !subnets.allowsAll();
    }

    /**
     * The address a URL host stands for without asking DNS: an IPv6 literal (brackets removed), or
     * digits and dots, which the resolver reads as IPv4 in any of its forms ({@code 127.1},
     * {@code 2130706433}). Empty for a name.
     */
    public static Optional<InetAddress> literal(String host) {
        if (host.isEmpty() || !(host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            return Optional.empty();
        }
        String h = host.contains("%") ? host.substring(0, host.indexOf('%')) : host;
        try {
            return Optional.of(InetAddress.getByName(h.contains(":") ? "[" + h + "]" : h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private Optional<String> neverUsable(InetAddress address) {
        InetAddress a = unmapped(address);
        byte[] b = a.getAddress();
        if (a.isAnyLocalAddress() || (a instanceof Inet4Address && b[0] == 0)) {
            return Optional.of("unspecified");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        if (a instanceof Inet4Address && (b[0] & b[1] & b[2] & b[3] & 0xff) == 0xff) {
            return Optional.of("broadcast");
        }
        if (subnets.isSubnetBroadcast(a) || local.isBroadcast(a)) {
            return Optional.of("broadcast");
        }
        return Optional.empty();
    }

    private static boolean isLoopback(InetAddress address) {
        return unmapped(address).isLoopbackAddress();
    }

    /** {@code ::ffff:a.b.c.d} and {@code ::a.b.c.d} as the IPv4 address; anything else as it is. */
    static InetAddress unmapped(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a;
        }
        byte[] b = a.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return a;
            }
        }
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible =
                b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0);
        if (!mapped && !compatible) {
            return a; // :: and ::1 stay IPv6
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
