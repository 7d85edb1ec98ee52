package io.nexusmonitor.wake;

import io.nexusmonitor.registry.WakeOnLan;

/** The Wake-on-LAN magic packet: 6 bytes of 0xFF, then the target's 6-byte MAC 16 times (102 bytes). */
public final class MagicPacket {
    public static final int LENGTH = 6 + 16 * 6;

    private MagicPacket() {}

    /**
     * The packet that wakes the NIC with this MAC.
     *
     * @param mac {@code aa:bb:cc:dd:ee:ff} (or any form {@link WakeOnLan#normalizeMac} accepts)
     * @throws IllegalArgumentException when it is not a MAC address
     */
    public static byte[] of(String mac) {
        String m = WakeOnLan.normalizeMac(mac);
        if (m == null) {
            throw new IllegalArgumentException(WakeOnLan.macProblem());
        }
        byte[] addr = new byte[6];
        String[] parts = m.split(":", -1);
        for (int i = 0; i < 6; i++) {
            addr[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        byte[] p = new byte[LENGTH];
        for (int i = 0; i < 6; i++) {
            p[i] = (byte) 0xff;
        }
        for (int r = 0; r < 16; r++) {
            System.arraycopy(addr, 0, p, 6 + r * 6, 6);
        }
        return p;
    }
}
