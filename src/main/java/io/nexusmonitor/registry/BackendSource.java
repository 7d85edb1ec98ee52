package io.nexusmonitor.registry;

/** Where a backend came from; decides who may remove it. */
public enum BackendSource {
    /** From {@code [[backends]]} in the config file: always present, always pinned. */
    STATIC,
    /** Announced on the LAN by mDNS / DNS-SD. */
    MDNS,
    /** Added by a user through the API, the CLI or the window. */
    MANUAL,
    /** Published by a monitor of another site through etcd ({@code [federation]}); never published again. */
    REMOTE;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
