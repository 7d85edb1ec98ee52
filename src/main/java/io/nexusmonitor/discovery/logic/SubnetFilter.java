package io.nexusmonitor.discovery.logic;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code [discovery].allow_subnets}: which source addresses an announcement may point to. Empty
 * allows everything (the default); otherwise only addresses inside one of the CIDR blocks count.
 */
public final class SubnetFilter {
    /** Digits, hex, dots and colons only: a literal, so parsing never triggers a DNS lookup. */
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private final List<Block> blocks;

    private SubnetFilter(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static SubnetFilter any() {
        return new SubnetFilter(List.of());
    }

    /** @throws IllegalArgumentException naming the block that is not CIDR ({@code 192.168.1.0/24}) */
    public static SubnetFilter parse(List<String> cidrs) {
        List<Block> out = new ArrayList<>();
        for (String c : cidrs) {
            out.add(Block.parse(c));
        }
        return new SubnetFilter(out);
    }

    public boolean allowsAll() {
        return blocks.isEmpty();
    }

    public boolean allows(InetAddress a) {
        if (blocks.isEmpty()) {
            return true;
        }
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** The addresses this filter allows, in their original order. */
    public List<InetAddress> allowed(List<InetAddress> addresses) {
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (allows(a)) {
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "any" : blocks.toString();
    }

    private record Block(byte[] network, int prefix, String text) {
        static Block parse(String raw) {
            String s = raw == null ? "" : raw.trim();
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (!LITERAL.matcher(addr).matches()) {
                throw new IllegalArgumentException("not a subnet in CIDR form: '" + raw + "' (e.g. 192.168.1.0/24)");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not a subnet in CIDR form: '" + raw + "' (e.g. 192.168.1.0/24)");
            }
            int max = bytes.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + raw + "'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length in '" + raw + "' must be 0.." + max);
            }
            return new Block(bytes, prefix, s);
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
