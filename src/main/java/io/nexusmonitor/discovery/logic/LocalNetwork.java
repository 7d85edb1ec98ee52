package io.nexusmonitor.discovery.logic;

import java.net.InetAddress;

/**
 * What this machine's own interfaces say about an address: one of ours (an announcement of it
 * points at this machine as surely as 127.0.0.1 does), or the broadcast address of one of our
 * IPv4 networks. The adapter reads the interfaces; tests use {@link #NONE} or their own.
 */
public interface LocalNetwork {
    /** Knows no interface: nothing is ours, no broadcast is known. */
    LocalNetwork NONE = new LocalNetwork() {
        @Override
        public boolean isOwn(InetAddress a) {
            return false;
        }

        @Override
        public boolean isBroadcast(InetAddress a) {
            return false;
        }
    };

    /** True for an address of one of this machine's interfaces. */
    boolean isOwn(InetAddress a);

    /** True for the broadcast address of one of this machine's IPv4 networks. */
    boolean isBroadcast(InetAddress a);
}
