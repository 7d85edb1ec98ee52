package io.nexusmonitor.registry;

import org.jspecify.annotations.Nullable;

/**
 * What the user or the backend itself says about how to use a backend, apart from where it is:
 * how many requests it runs at once, its share of traffic among equals, and the credential it
 * needs. Kept together so that a health update, which changes none of it, copies one reference.
 *
 * @param capacity       parallel slots (requests the backend runs at once); null = not known yet
 * @param capacitySource where {@code capacity} came from; null when it is not known
 * @param weight         share of traffic among otherwise equal candidates, at least 1
 * @param credential     the key sent to the backend; null when it needs none
 * @param serverBusy     slots the server itself last reported busy (llama.cpp {@code /slots}), null when it
 *                       does not say; a health-check reading, not the gateway's own in-flight count
 * @param wake           Wake-on-LAN settings ({@code mac}, {@code wake_on_lan}, ...), null when none are set
 */
public record BackendSettings(
        @Nullable Integer capacity,
        @Nullable CapacitySource capacitySource,
        int weight,
        @Nullable Credential credential,
        @Nullable Integer serverBusy,
        @Nullable WakeOnLan wake) {
    public static final int DEFAULT_WEIGHT = 1;
    /** Largest capacity accepted from any source (config, TXT, API, a server's report). */
    public static final int MAX_CAPACITY = 100_000;
    /** Largest weight accepted. */
    public static final int MAX_WEIGHT = 1_000_000;

    public static final BackendSettings DEFAULTS = new BackendSettings(null, null, DEFAULT_WEIGHT, null, null, null);

    /** Without Wake-on-LAN settings. */
    public BackendSettings(
            @Nullable Integer capacity,
            @Nullable CapacitySource capacitySource,
            int weight,
            @Nullable Credential credential,
            @Nullable Integer serverBusy) {
        this(capacity, capacitySource, weight, credential, serverBusy, null);
    }

    /** Without a server-reported busy count. */
    public BackendSettings(
            @Nullable Integer capacity,
            @Nullable CapacitySource capacitySource,
            int weight,
            @Nullable Credential credential) {
        this(capacity, capacitySource, weight, credential, null, null);
    }

    /** Where a backend's capacity was learned, strongest first: a stronger source is not overwritten by a weaker one. */
    public enum CapacitySource {
        /** {@code [[backends]] max_concurrent} (or the window, API, CLI for a manual backend). */
        CONFIG,
        /** the mDNS TXT record {@code max_concurrent}. */
        MDNS,
        /** what the monitor of another site published ({@code [federation]}). */
        REMOTE,
        /** the server's own report, e.g. llama.cpp {@code /props} {@code total_slots}. */
        SERVER,
        /** learned from what the gateway observed. */
        LEARNED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public BackendSettings {
        if (capacity != null && (capacity < 1 || capacity > MAX_CAPACITY)) {
            throw new IllegalArgumentException("capacity must be from 1 to " + MAX_CAPACITY + ", got " + capacity);
        }
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be from 1 to " + MAX_WEIGHT + ", got " + weight);
        }
        if ((capacity == null) != (capacitySource == null)) {
            throw new IllegalArgumentException("a capacity and its source go together");
        }
        if (serverBusy != null && serverBusy < 0) {
            throw new IllegalArgumentException("serverBusy must be 0 or more, got " + serverBusy);
        }
    }

    /** Sets the capacity whatever source held it (a user's explicit choice); see {@link #offerCapacity} for the rest. */
    public BackendSettings withCapacity(@Nullable Integer v, @Nullable CapacitySource from) {
        return new BackendSettings(v, v == null ? null : from, weight, credential, serverBusy, wake);
    }

    /**
     * The precedence rule, the one place it lives: a capacity reported by {@code from} replaces the
     * current one only when no capacity is known or {@code from} is at least as strong as the source
     * that set it ({@link CapacitySource} order). A null value withdraws what {@code from} itself set
     * earlier (a TXT record that no longer says {@code max_concurrent}) and leaves any other source's
     * value alone.
     */
    public BackendSettings offerCapacity(@Nullable Integer v, CapacitySource from) {
        java.util.Objects.requireNonNull(from, "from");
        if (v == null) {
            return capacitySource == from ? withCapacity(null, null) : this;
        }
        if (capacitySource != null && capacitySource.compareTo(from) < 0) {
            return this; // a stronger source said so
        }
        if (v.equals(capacity) && from == capacitySource) {
            return this;
        }
        return withCapacity(v, from);
    }

    public BackendSettings withWeight(int v) {
        return new BackendSettings(capacity, capacitySource, v, credential, serverBusy, wake);
    }

    public BackendSettings withCredential(Credential v) {
        return new BackendSettings(capacity, capacitySource, weight, v, serverBusy, wake);
    }

    public BackendSettings withServerBusy(@Nullable Integer v) {
        return java.util.Objects.equals(v, serverBusy)
                ? this
                : new BackendSettings(capacity, capacitySource, weight, credential, v, wake);
    }

    public BackendSettings withWake(@Nullable WakeOnLan v) {
        return new BackendSettings(capacity, capacitySource, weight, credential, serverBusy, v);
    }

    /** True when a key is sent to the backend (what JSON shows as {@code "api_key": "set"}). */
    public boolean hasKey() {
        return credential != null && credential.key() != null;
    }

    /** The {@code Authorization} value for the key, null when there is none. */
    public @Nullable String authorization() {
        return credential == null ? null : credential.authorization();
    }

    /** True when the client's own {@code Authorization} is forwarded to this backend. */
    public boolean forwardsClientAuth() {
        return credential != null && credential.forwardClientAuth();
    }
}
