package io.nexusmonitor.registry;

/**
 * What the user or the backend itself says about how to use a backend, apart from where it is:
 * how many requests it runs at once, its share of traffic among equals, and the credential it
 * needs. Kept together so that a health update, which changes none of it, copies one reference.
 *
 * @param capacity       parallel slots (requests the backend runs at once); null = not known yet
 * @param capacitySource where {@code capacity} came from; null when it is not known
 * @param weight         share of traffic among otherwise equal candidates, at least 1
 * @param credential     the key sent to the backend; null when it needs none
 */
public record BackendSettings(Integer capacity, CapacitySource capacitySource, int weight, Credential credential) {
    public static final int DEFAULT_WEIGHT = 1;
    public static final BackendSettings DEFAULTS = new BackendSettings(null, null, DEFAULT_WEIGHT, null);

    /** Where a backend's capacity was learned, strongest first: a stronger source is not overwritten by a weaker one. */
    public enum CapacitySource {
        /** {@code [[backends]] max_concurrent} (or the window, API, CLI for a manual backend). */
        CONFIG,
        /** the mDNS TXT record {@code max_concurrent}. */
        MDNS,
        /** the server's own report, e.g. llama.cpp {@code /props} {@code total_slots}. */
        SERVER,
        /** learned from what the gateway observed. */
        LEARNED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public BackendSettings {
        if (capacity != null && capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, got " + weight);
        }
        if ((capacity == null) != (capacitySource == null)) {
            throw new IllegalArgumentException("a capacity and its source go together");
        }
    }

    public BackendSettings withCapacity(Integer v, CapacitySource from) {
        return new BackendSettings(v, v == null ? null : from, weight, credential);
    }

    public BackendSettings withWeight(int v) {
        return new BackendSettings(capacity, capacitySource, v, credential);
    }

    public BackendSettings withCredential(Credential v) {
        return new BackendSettings(capacity, capacitySource, weight, v);
    }
}
