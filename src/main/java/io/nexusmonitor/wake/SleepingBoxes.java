package io.nexusmonitor.wake;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.WakeOnLan;
import org.jspecify.annotations.Nullable;

/** Which asleep box to wake for a model nothing awake can serve. */
public final class SleepingBoxes {
    private SleepingBoxes() {}

    /**
     * An asleep, wakeable, approved backend that lists the model (the one with the lowest priority
     * number), or null when none does or some other backend that lists it is awake and may
     * recover on its own (loading, draining, unknown are not asleep).
     */
    public static @Nullable Backend onlyHolder(Registry registry, String model) {
        Backend best = null;
        for (Backend b : registry.backendsForModel(model)) {
            if (b.status() != BackendStatus.ASLEEP) {
                if (b.status() == BackendStatus.HEALTHY || b.status() == BackendStatus.LOADING) {
                    return null; // an awake box has it: the queue's own answer stands
                }
                continue;
            }
            if (b.approved() && WakeOnLan.wakeable(b) && (best == null || b.priority() < best.priority())) {
                best = b;
            }
        }
        return best;
    }
}
