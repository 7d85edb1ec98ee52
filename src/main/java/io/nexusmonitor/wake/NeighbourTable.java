package io.nexusmonitor.wake;

import io.nexusmonitor.registry.WakeOnLan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Linux's IPv4 neighbour table, {@code /proc/net/arp}: which MAC answered for which address on the
 * LAN. The fourth source of a box's MAC for Wake-on-LAN, read while the box is up (an entry goes
 * stale minutes after the box sleeps). Only complete entries count (flag {@code 0x2}); an
 * incomplete one has the MAC {@code 00:00:00:00:00:00}.
 */
public final class NeighbourTable {
    /** Where Linux keeps it. */
    public static final Path PROC_NET_ARP = Path.of("/proc/net/arp");

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** ATF_COM: the entry is complete. */
    private static final int COMPLETE = 0x2;
    /** The file is one line per neighbour; more than this is not a real table. */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private NeighbourTable() {}

    /**
     * Parses the table's text: IPv4 address to MAC, for complete entries. Lines that do not have
     * the columns {@code IP address, HW type, Flags, HW address, Mask, Device} are skipped.
     */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !IPV4.matcher(f[0]).matches()) {
                continue; // the header, a blank line
            }
            int flags;
            try {
                flags = Integer.decode(f[2]);
            } catch (NumberFormatException e) {
                continue;
            }
            String mac = WakeOnLan.normalizeMac(f[3]);
            if ((flags & COMPLETE) != 0 && mac != null) {
                out.putIfAbsent(f[0], mac);
            }
        }
        return out;
    }

    /** The table as the file holds it now; empty where there is none (not Linux) or it cannot be read. */
    public static Map<String, String> read(Path file) {
        try {
            if (!Files.isReadable(file) || Files.size(file) > MAX_BYTES) {
                return Map.of();
            }
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** The MAC the table has for {@code ipv4}, or null. */
    public static @Nullable String macOf(Map<String, String> table, String ipv4) {
        return table.get(ipv4);
    }
}
