package io.nexusmonitor.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code pins.json} in step with the registry: after any change that touches a pinned
 * backend (pin, unpin, new name, models, mDNS data, removal) the file is rewritten, but only when
 * what it would hold differs from what it holds, so health checks do not cause disk writes.
 */
public final class PinPersistence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PinPersistence.class);

    private final Registry registry;
    private final PinStore store;
    private final AutoCloseable subscription;
    private JsonNode written;

    public PinPersistence(Registry registry, PinStore store) {
        this.registry = registry;
        this.store = store;
        this.written = PinStore.toJson(registry.all());
        this.subscription = registry.subscribe(this::onEvent);
    }

    private void onEvent(RegistryEvent e) {
        boolean touchesPin =
                PinStore.persists(e.backend()) || (e.previous() != null && PinStore.persists(e.previous()));
        if (touchesPin) {
            save();
        }
    }

    /** Writes the file now if the pins changed since the last write. */
    public synchronized void save() {
        List<Backend> all = registry.all();
        JsonNode now = PinStore.toJson(all);
        if (now.equals(written)) {
            return;
        }
        try {
            store.save(all);
            written = now;
        } catch (IOException e) {
            log.warn(
                    "cannot save pins to {}: {}; they are kept in memory and saved on the next change",
                    store.path(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("unsubscribing pin persistence: {}", e.getMessage());
        }
        save();
    }
}
