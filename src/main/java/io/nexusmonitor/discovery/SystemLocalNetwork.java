package io.nexusmonitor.discovery;

import io.nexusmonitor.discovery.logic.LocalNetwork;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * This machine's addresses and IPv4 broadcast addresses, read from its interfaces and read again
 * when older than a few seconds (DHCP, a VPN coming up), so a check per announcement stays cheap.
 */
public final class SystemLocalNetwork implements LocalNetwork {
    private static final long REFRESH_NANOS = 5_000_000_000L;

    private Set<InetAddress> own = Set.of();
    private Set<InetAddress> broadcasts = Set.of();
    private long readAt;
    private boolean read;

    @Override
    public synchronized boolean isOwn(InetAddress a) {
        refresh();
        return own.contains(a);
    }

    @Override
    public synchronized boolean isBroadcast(InetAddress a) {
        refresh();
        return broadcasts.contains(a);
    }

    private void refresh() {
        long now = System.nanoTime();
        if (read && now - readAt < REFRESH_NANOS) {
            return;
        }
        Set<InetAddress> o = new HashSet<>();
        Set<InetAddress> b = new HashSet<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress ia : n.getInterfaceAddresses()) {
                    o.add(ia.getAddress());
                    if (ia.getBroadcast() != null) {
                        b.add(ia.getBroadcast());
                    }
                }
            }
        } catch (SocketException | RuntimeException e) {
            // keep what was known; the next announcement tries again
            return;
        } finally {
            read = true;
            readAt = now;
        }
        own = Set.copyOf(o);
        broadcasts = Set.copyOf(b);
    }
}
