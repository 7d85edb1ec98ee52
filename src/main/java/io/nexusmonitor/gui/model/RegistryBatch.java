package io.nexusmonitor.gui.model;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.RegistryEvent;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Everything that changed in the registry since the last batch: the newest snapshot of each
 * backend that was added or changed, the ids that are gone, and the events themselves (for the
 * log), oldest first.
 *
 * @param droppedEvents how many events were left out of {@code events} because a burst overflowed
 *                      the log buffer; the table never loses a change, only the log lines
 */
public record RegistryBatch(
        Collection<Backend> upserts, Set<String> removedIds, List<RegistryEvent> events, int droppedEvents) {
    public boolean isEmpty() {
        return upserts.isEmpty() && removedIds.isEmpty() && events.isEmpty();
    }
}
