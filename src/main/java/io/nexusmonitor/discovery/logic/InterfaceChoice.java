package io.nexusmonitor.discovery.logic;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which interface addresses mDNS runs on (one browser per address). By default every interface
 * that is up, multicast-capable and not loopback, on its IPv4 addresses (its IPv6 ones when it
 * has no IPv4). {@code [discovery].interfaces} / {@code --interface} name interfaces or addresses
 * instead; a named one may be loopback (tests and single-host setups use {@code lo}).
 */
public final class InterfaceChoice {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.%]+");

    private InterfaceChoice() {}

    /** What the chooser needs to know about one network interface. */
    public record Nic(String name, boolean up, boolean multicast, boolean loopback, List<InetAddress> addresses) {
        public Nic {
            addresses = List.copyOf(addresses);
        }
    }

    /** One address to browse on, and the interface it belongs to. */
    public record Target(String interfaceName, InetAddress address) {
        /** {@code eth0 192.168.1.5}: how the status bar shows it. */
        public String label() {
            return interfaceName + " " + ServiceAddresses.text(address);
        }
    }

    /**
     * @param wanted names or addresses; empty = the default choice
     * @return the targets, in interface order; a wanted name or address not present now is left out
     *         (it is picked up when it appears)
     */
    public static List<Target> choose(List<Nic> nics, List<String> wanted) {
        List<Target> out = new ArrayList<>();
        if (wanted.isEmpty()) {
            for (Nic n : nics) {
                if (n.up() && n.multicast() && !n.loopback()) {
                    addPreferred(out, n);
                }
            }
            return out;
        }
        for (String w : wanted) {
            String want = w.trim();
            InetAddress literal = literal(want);
            for (Nic n : nics) {
                if (!n.up()) {
                    continue;
                }
                if (literal != null) {
                    for (InetAddress a : n.addresses()) {
                        if (sameAddress(a, literal)) {
                            add(out, new Target(n.name(), a));
                        }
                    }
                } else if (n.name().equals(want)) {
                    addPreferred(out, n);
                }
            }
        }
        return out;
    }

    private static void addPreferred(List<Target> out, Nic n) {
        boolean anyV4 = n.addresses().stream().anyMatch(a -> a instanceof Inet4Address);
        for (InetAddress a : n.addresses()) {
            if (!anyV4 || a instanceof Inet4Address) {
                add(out, new Target(n.name(), a));
            }
        }
    }

    private static void add(List<Target> out, Target t) {
        if (!out.contains(t)) {
            out.add(t);
        }
    }

    private static boolean sameAddress(InetAddress a, InetAddress b) {
        return java.util.Arrays.equals(a.getAddress(), b.getAddress());
    }

    /** The address a wanted entry spells, or null when it is an interface name. */
    static @Nullable InetAddress literal(String s) {
        if (!LITERAL.matcher(s).matches() || !(s.contains(".") || s.contains(":"))) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
