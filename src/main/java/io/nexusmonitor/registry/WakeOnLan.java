package io.nexusmonitor.registry;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How to wake a backend's box: its MAC address (null: the one its announcement gives in TXT
 * {@code mac}), whether the user marked it wakeable, where the magic packet goes and how long a
 * request waits for the box to answer.
 *
 * @param mac            {@code aa:bb:cc:dd:ee:ff}, normalised; null when the user gave none
 * @param enabled        {@code wake_on_lan = true}
 * @param broadcast      {@code host} or {@code host:port} the packet is sent to; null: {@value #DEFAULT_BROADCAST}
 * @param timeoutSeconds how long a request for its model waits for it to wake
 * @param neighbourMac   the MAC this machine's neighbour table (ARP) had for the box when it was last up; null when none
 */
public record WakeOnLan(
        @Nullable String mac,
        boolean enabled,
        @Nullable String broadcast,
        int timeoutSeconds,
        @Nullable String neighbourMac) {
    public static final String DEFAULT_BROADCAST = "255.255.255.255";
    public static final int DEFAULT_PORT = 9;
    public static final int DEFAULT_TIMEOUT_SECONDS = 120;
    public static final int MAX_TIMEOUT_SECONDS = 3600;
    /** The TXT key {@code announce} publishes the interface's MAC under. */
    public static final String TXT_MAC = "mac";

    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}|[0-9a-fA-F]{12}");

    public WakeOnLan {
        if (mac != null) {
            mac = normalizeMac(mac);
            if (mac == null) {
                throw new IllegalArgumentException(macProblem());
            }
        }
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException(
                    "wake_timeout_seconds must be from 1 to " + MAX_TIMEOUT_SECONDS + ", got " + timeoutSeconds);
        }
        neighbourMac = normalizeMac(neighbourMac);
    }

    /** Without a MAC learned from the neighbour table. */
    public WakeOnLan(@Nullable String mac, boolean enabled, @Nullable String broadcast, int timeoutSeconds) {
        this(mac, enabled, broadcast, timeoutSeconds, null);
    }

    /** The same, with the MAC the neighbour table had for the box. */
    public WakeOnLan withNeighbourMac(@Nullable String v) {
        return new WakeOnLan(mac, enabled, broadcast, timeoutSeconds, v);
    }

    /** The sentence for a MAC that does not parse. */
    public static String macProblem() {
        return "expected a MAC address of six hex pairs, such as aa:bb:cc:dd:ee:ff";
    }

    /** {@code AA-BB-CC-DD-EE-FF}, {@code aabbccddeeff} or {@code aa:bb:…} as {@code aa:bb:cc:dd:ee:ff}; null when not a MAC. */
    public static @Nullable String normalizeMac(@Nullable String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (!MAC.matcher(t).matches()) {
            return null;
        }
        String hex = t.replaceAll("[:-]", "").toLowerCase(Locale.ROOT);
        if (hex.equals("000000000000") || hex.equals("ffffffffffff")) {
            return null;
        }
        StringBuilder b = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                b.append(':');
            }
            b.append(hex, i, i + 2);
        }
        return b.toString();
    }

    /**
     * The MAC to wake, from the first of four sources that knows it: the user's ({@code [[backends]]
     * mac}, {@code backends pin --mac}, the window), the announcement's TXT {@code mac}, and the
     * MAC this machine's neighbour table had for the box while it was up; null when none does.
     */
    public static @Nullable String effectiveMac(Backend b) {
        WakeOnLan w = b.settings().wake();
        if (w != null && w.mac() != null) {
            return w.mac();
        }
        MdnsInfo md = b.mdns();
        String txt = md == null ? null : normalizeMac(md.txt().get(TXT_MAC));
        if (txt != null) {
            return txt;
        }
        return w == null ? null : w.neighbourMac();
    }

    /**
     * The rule, the one place it lives: a backend is wakeable when it is pinned, marked
     * {@code wake_on_lan = true} and a MAC is known for it. Only a wakeable backend can be asleep.
     */
    public static boolean wakeable(Backend b) {
        WakeOnLan w = b.settings().wake();
        return b.pinned() && w != null && w.enabled() && effectiveMac(b) != null;
    }

    /**
     * What a backend that stops answering becomes, the one rule for the health checks and the
     * gateway's circuit: {@code asleep} when it is {@link #wakeable}, else {@code unhealthy}.
     */
    public static BackendStatus downStatus(Backend b) {
        return wakeable(b) ? BackendStatus.ASLEEP : BackendStatus.UNHEALTHY;
    }

    /** The wake timeout of this backend: its own, else the default. */
    public static int timeoutSeconds(Backend b) {
        WakeOnLan w = b.settings().wake();
        return w == null ? DEFAULT_TIMEOUT_SECONDS : w.timeoutSeconds();
    }
}
