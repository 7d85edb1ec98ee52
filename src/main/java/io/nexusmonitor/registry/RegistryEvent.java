package io.nexusmonitor.registry;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One change to the registry, delivered to listeners in the order the changes happened.
 *
 * @param sequence increases by one per event, across all backends
 * @param backend  the backend after the change (for {@link Kind#BACKEND_REMOVED}, as it was last)
 * @param previous the backend before the change, null for {@link Kind#BACKEND_ADDED}
 * @param cause    why, in words a user understands ({@code found}, {@code goodbye}, {@code HTTP 503}, ...)
 */
public record RegistryEvent(
        long sequence, Kind kind, Backend backend, @Nullable Backend previous, String cause, Instant at) {

    public enum Kind {
        BACKEND_ADDED,
        BACKEND_UPDATED,
        STATUS_CHANGED,
        GRACE_STARTED,
        GRACE_CANCELLED,
        BACKEND_REMOVED;

        /** The event name on the wire ({@code backend_added}, ...), as the README's 'HTTP API' names them. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
