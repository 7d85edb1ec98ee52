package io.nexusmonitor.gui.model;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.RegistryEvent;
import io.nexusmonitor.registry.RegistryListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Coalesces registry events (which arrive on any thread) into batches for the UI thread. It keeps
 * the newest snapshot per backend and a "drain scheduled" flag: the first event after a drain
 * schedules one drain on the UI executor, later events only update the map. So a burst of 1000
 * changes costs one UI update, and a lone change still reaches the table on the next frame.
 *
 * <p>Plain Java on purpose (no JavaFX types): the UI executor is {@code Platform::runLater} in the
 * window and a direct executor in unit tests.
 */
public final class RegistryBatcher implements RegistryListener {
    /** Log lines kept per batch; a larger burst keeps the newest and counts the rest. */
    static final int MAX_EVENTS_PER_BATCH = 500;

    private final Executor uiExecutor;
    private final Consumer<RegistryBatch> consumer;
    private final Object lock = new Object();
    private Map<String, Backend> upserts = new LinkedHashMap<>();
    private Set<String> removed = new HashSet<>();
    private ArrayDeque<RegistryEvent> events = new ArrayDeque<>();
    private int dropped;
    private boolean drainScheduled;

    /**
     * @param uiExecutor runs the drain (on the UI thread)
     * @param consumer   receives each batch on the UI thread
     */
    public RegistryBatcher(Executor uiExecutor, Consumer<RegistryBatch> consumer) {
        this.uiExecutor = uiExecutor;
        this.consumer = consumer;
    }

    @Override
    public void onEvent(RegistryEvent event) {
        boolean schedule;
        synchronized (lock) {
            String id = event.backend().id();
            if (event.kind() == RegistryEvent.Kind.BACKEND_REMOVED) {
                upserts.remove(id);
                removed.add(id);
            } else {
                removed.remove(id);
                upserts.put(id, event.backend());
            }
            events.addLast(event);
            if (events.size() > MAX_EVENTS_PER_BATCH) {
                events.removeFirst();
                dropped++;
            }
            schedule = markScheduled();
        }
        if (schedule) {
            uiExecutor.execute(this::drain);
        }
    }

    /** Feeds the registry's current contents (read after subscribing) as if each had just changed. */
    public void seed(List<Backend> current) {
        boolean schedule;
        synchronized (lock) {
            for (Backend b : current) {
                removed.remove(b.id());
                upserts.put(b.id(), b);
            }
            schedule = markScheduled();
        }
        if (schedule) {
            uiExecutor.execute(this::drain);
        }
    }

    private boolean markScheduled() {
        if (drainScheduled) {
            return false;
        }
        drainScheduled = true;
        return true;
    }

    private void drain() {
        RegistryBatch batch;
        synchronized (lock) {
            batch = new RegistryBatch(new ArrayList<>(upserts.values()), removed, List.copyOf(events), dropped);
            upserts = new LinkedHashMap<>();
            removed = new HashSet<>();
            events = new ArrayDeque<>();
            dropped = 0;
            drainScheduled = false;
        }
        if (!batch.isEmpty()) {
            consumer.accept(batch);
        }
    }
}
