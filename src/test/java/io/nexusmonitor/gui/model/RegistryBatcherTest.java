package io.nexusmonitor.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class RegistryBatcherTest {
    private final Registry registry = new Registry();
    /** Stands in for Platform.runLater: drains run only when the test says so. */
    private final Queue<Runnable> uiQueue = new ArrayDeque<>();

    private final List<RegistryBatch> batches = new ArrayList<>();
    private final RegistryBatcher batcher = new RegistryBatcher(uiQueue::add, batches::add);

    RegistryBatcherTest() {
        registry.subscribe(batcher);
    }

    private Backend add(int i) {
        return registry.add(
                Backend.create(
                        "",
                        "b" + i,
                        "http://127.0.1." + (i % 250) + ":" + (1000 + i),
                        BackendType.GENERIC,
                        BackendSource.MDNS,
                        50,
                        Instant.now()),
                "found");
    }

    private void runUi() {
        Runnable r;
        while ((r = uiQueue.poll()) != null) {
            r.run();
        }
    }

    @Test
    void aBurstOfAThousandChangesSchedulesOneUiUpdate() {
        Backend b = add(0);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            registry.update(b.id(), "probe", x -> x.withLatencySample(n));
        }
        assertThat(uiQueue).hasSize(1);
        runUi();
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).upserts())
                .singleElement()
                .satisfies(s -> assertThat(s).isSameAs(registry.get(b.id()).orElseThrow()));
    }

    @Test
    void aChangeAfterADrainSchedulesTheNextOne() {
        Backend b = add(0);
        runUi();
        registry.update(b.id(), "probe ok", x -> x.withStatus(BackendStatus.HEALTHY));
        assertThat(uiQueue).hasSize(1);
        runUi();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).upserts()).extracting(Backend::status).containsExactly(BackendStatus.HEALTHY);
    }

    @Test
    void aBackendAddedAndRemovedInOneBatchEndsAsARemoval() {
        Backend b = add(0);
        registry.remove(b.id(), "goodbye");
        runUi();
        RegistryBatch batch = batches.get(0);
        assertThat(batch.upserts()).isEmpty();
        assertThat(batch.removedIds()).containsExactly(b.id());
        assertThat(batch.events()).extracting(e -> e.kind().wire()).containsExactly("backend_added", "backend_removed");
    }

    @Test
    void anOverflowingBurstKeepsTheNewestLogEventsAndCountsTheRest() {
        for (int i = 0; i < RegistryBatcher.MAX_EVENTS_PER_BATCH + 20; i++) {
            add(i);
        }
        runUi();
        RegistryBatch batch = batches.get(0);
        assertThat(batch.upserts()).hasSize(RegistryBatcher.MAX_EVENTS_PER_BATCH + 20);
        assertThat(batch.events()).hasSize(RegistryBatcher.MAX_EVENTS_PER_BATCH);
        assertThat(batch.droppedEvents()).isEqualTo(20);
    }

    @Test
    void seedingDeliversWhatIsAlreadyThere() {
        Registry other = new Registry();
        other.add(
                Backend.create(
                        "", "x", "http://127.0.2.1", BackendType.GENERIC, BackendSource.STATIC, 1, Instant.now()),
                "config");
        batcher.seed(other.all());
        runUi();
        assertThat(batches.get(0).upserts()).extracting(Backend::name).containsExactly("x");
    }
}
