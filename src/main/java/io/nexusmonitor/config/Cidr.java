package io.nexusmonitor.config;

import io.nexusmonitor.registry.UrlNormalizer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 block such as {@code 192.168.1.0/24} or {@code fd00::/8}, for
 * {@code discovery.allow_subnets}. A plain address is a block of one. Host bits below the prefix
 * are cleared ({@code 192.168.1.7/24} is {@code 192.168.1.0/24}): that is what a user means.
 *
 * @param network the address bytes with host bits cleared (4 or 16)
 */
public record Cidr(byte[] network, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public Cidr {
        network = network.clone();
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(addr);
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > max) {
                throw new IllegalArgumentException("prefix length must be 0 to " + max + ", found \"" + p + "\"");
            }
            prefix = Integer.parseInt(p);
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == network.length && java.util.Arrays.equals(mask(a, prefixLength), network);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefixLength;
    }

    /** {@code 192.168.1.0/24}, {@code fd00::/8}. */
    @Override
    public String toString() {
        String addr;
        if (network.length == 4) {
            addr = (network[0] & 0xff) + "." + (network[1] & 0xff) + "." + (network[2] & 0xff) + "."
                    + (network[3] & 0xff);
        } else {
            addr = UrlNormalizer.compress(network);
        }
        return addr + "/" + prefixLength;
    }

    /** Parses an IP literal only: a host name is refused rather than looked up in DNS. */
    private static byte[] literal(String addr) {
        boolean v4 = IPV4.matcher(addr).matches();
        if (!v4 && !IPV6.matcher(addr).matches()) {
            throw new IllegalArgumentException(
                    "expected an IP address or block such as 192.168.1.0/24 or fd00::/8, found \"" + addr + "\"");
        }
        if (v4) {
            for (String part : addr.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: \"" + addr + "\"");
                }
            }
        }
        try {
            byte[] b = InetAddress.getByName(addr).getAddress(); // a literal (checked above): no DNS lookup
            if (!v4 && b.length == 4) {
                throw new IllegalArgumentException("write an IPv4 block in dotted form: \"" + addr + "\"");
            }
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: \"" + addr + "\"");
        }
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }
}
