package io.nexusmonitor.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a magic packet goes: {@code wake_broadcast} as {@code a.b.c.d} or {@code a.b.c.d:port} (an
 * IPv4 address: Wake-on-LAN is an IPv4 broadcast; port 9 when none is given).
 */
public final class WakeTargets {
    private static final Pattern TARGET =
            Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?::(\\d{1,5}))?");

    /** An address and port to send the packet to. */
    public record Target(String host, int port) {}

    private WakeTargets() {}

    /** The sentence for a bad value; null when it is fine. */
    public static @Nullable String problem(String value) {
        return parse(value) == null
                ? "expected an IPv4 broadcast address, optionally with a port, such as 192.168.1.255 or 192.168.1.255:9, found \""
                        + value.strip() + "\""
                : null;
    }

    /** The target, or null when the value is not {@code a.b.c.d[:port]}. */
    public static @Nullable Target parse(String value) {
        Matcher m = TARGET.matcher(value.strip());
        if (!m.matches()) {
            return null;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return null;
            }
        }
        int port = WakeOnLan.DEFAULT_PORT;
        if (m.group(5) != null) {
            port = Integer.parseInt(m.group(5));
            if (port < 1 || port > 65535) {
                return null;
            }
        }
        return new Target(m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4), port);
    }

    /** The backend's target: its {@code wake_broadcast}, else 255.255.255.255 port 9. */
    public static Target of(Backend b) {
        WakeOnLan w = b.settings().wake();
        Target t = w == null || w.broadcast() == null ? null : parse(w.broadcast());
        return t != null ? t : new Target(WakeOnLan.DEFAULT_BROADCAST, WakeOnLan.DEFAULT_PORT);
    }
}
