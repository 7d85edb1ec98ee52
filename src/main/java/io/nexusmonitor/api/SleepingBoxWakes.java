package io.nexusmonitor.api;

import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.WakeOnLan;
import io.nexusmonitor.routing.RequestQueue;
import io.nexusmonitor.wake.SleepingBoxes;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The queue's way to wake a box (issue 17): the asleep, wakeable box that alone holds the model
 * ({@link SleepingBoxes}) is sent its magic packet through {@link BackendControl#wake}, which joins
 * a wake already under way.
 */
final class SleepingBoxWakes implements RequestQueue.Wakes {
    private final BackendControl control;

    SleepingBoxWakes(BackendControl control) {
        this.control = control;
    }

    @Override
    public RequestQueue.@Nullable Wake wakeFor(String model) {
        Backend box = SleepingBoxes.onlyHolder(control.registry(), model);
        if (box == null) {
            return null;
        }
        String name = control.registry().label(box);
        try {
            return new RequestQueue.Waking(name, WakeOnLan.timeoutSeconds(box), control.wake(box.id()));
        } catch (ControlException e) {
            return new RequestQueue.CannotWake(name, Objects.requireNonNullElse(e.getMessage(), "it cannot be woken"));
        }
    }
}
