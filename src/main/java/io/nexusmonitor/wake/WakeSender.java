package io.nexusmonitor.wake;

import io.nexusmonitor.registry.WakeTargets;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * Sends a magic packet as one UDP datagram to the backend's {@code wake_broadcast} (default
 * 255.255.255.255 port 9), three times a few milliseconds apart: UDP may drop one, and a NIC that
 * wakes on the first ignores the rest.
 */
public class WakeSender {
    static final int COPIES = 3;

    /**
     * Sends the packet for this MAC to the target.
     *
     * @throws IOException when the datagram cannot be sent (no route to that broadcast address)
     */
    public void send(String mac, WakeTargets.Target target) throws IOException {
        byte[] packet = MagicPacket.of(mac);
        InetAddress to = InetAddress.getByName(target.host()); // an IPv4 literal: no name lookup
        try (DatagramSocket s = new DatagramSocket()) {
            s.setBroadcast(true);
            for (int i = 0; i < COPIES; i++) {
                s.send(new DatagramPacket(packet, packet.length, to, target.port()));
            }
        }
    }
}
