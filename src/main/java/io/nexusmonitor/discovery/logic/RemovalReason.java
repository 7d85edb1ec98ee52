package io.nexusmonitor.discovery.logic;

import java.util.Locale;

/** Why a service left: it said goodbye (TTL 0), or its records ran out without being renewed. */
public enum RemovalReason {
    GOODBYE,
    EXPIRED;

    /** The cause word in history and logs: {@code goodbye}, {@code expired}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
