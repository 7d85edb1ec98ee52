package io.nexusmonitor.discovery.logic;

import io.nexusmonitor.config.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code [discovery].allow_subnets}: which addresses an announcement may point to. Empty allows
 * everything (the default); otherwise only addresses inside one of the CIDR blocks count.
 */
public final class SubnetFilter {
    private final List<Cidr> blocks;

    private SubnetFilter(List<Cidr> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static SubnetFilter any() {
        return new SubnetFilter(List.of());
    }

    /** The blocks {@link io.nexusmonitor.config.ConfigLoader} read (and checked); empty allows everything. */
    public static SubnetFilter of(List<Cidr> blocks) {
        return new SubnetFilter(blocks);
    }

    public boolean allowsAll() {
        return blocks.isEmpty();
    }

    public boolean allows(InetAddress a) {
        if (blocks.isEmpty()) {
            return true;
        }
        for (Cidr b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True for the broadcast address of one of the IPv4 blocks ({@code 192.168.1.255} in
     * {@code 192.168.1.0/24}): the one subnet broadcast this program can know without asking the
     * network. Blocks of /31 and /32 have none.
     */
    public boolean isSubnetBroadcast(InetAddress a) {
        byte[] bytes = a.getAddress();
        if (bytes.length != 4) {
            return false;
        }
        for (Cidr b : blocks) {
            if (b.network().length == 4 && b.prefixLength() <= 30 && b.contains(a)) {
                int hostBits = 32 - b.prefixLength();
                int value = ((bytes[0] & 0xff) << 24)
                        | ((bytes[1] & 0xff) << 16)
                        | ((bytes[2] & 0xff) << 8)
                        | (bytes[3] & 0xff);
                int hostMask = (int) ((1L << hostBits) - 1);
                if ((value & hostMask) == hostMask) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when one of the blocks holds this address (empty allows everything, but holds nothing). */
    public boolean lists(InetAddress a) {
        for (Cidr b : blocks) {
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
}
