package io.nexusmonitor.discovery;

import io.nexusmonitor.discovery.logic.InterfaceChoice;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The machine's network interfaces as {@link InterfaceChoice} sees them. */
public final class SystemInterfaces {
    private static final Logger log = LoggerFactory.getLogger(SystemInterfaces.class);

    private SystemInterfaces() {}

    /** Every interface now; none when the system will not say. */
    public static List<InterfaceChoice.Nic> list() {
        List<InterfaceChoice.Nic> out = new ArrayList<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                try {
                    List<InetAddress> addrs = Collections.list(n.getInetAddresses());
                    out.add(new InterfaceChoice.Nic(
                            n.getName(), n.isUp(), n.supportsMulticast(), n.isLoopback(), addrs));
                } catch (SocketException e) {
                    log.debug("skipping interface {}: {}", n.getName(), e.getMessage());
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list network interfaces: {}", e.getMessage());
        }
        return out;
    }
}
