package io.nexusmonitor.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** The table's model without a toolkit: batches in, filtered and sorted rows out. */
class BackendTableModelTest {
    private final Registry registry = new Registry();
    private final BackendTableModel model = new BackendTableModel(registry, Duration.ofSeconds(60));
    private final RegistryBatcher batcher = new RegistryBatcher(Runnable::run, model::apply);

    BackendTableModelTest() {
        registry.subscribe(batcher);
    }

    private Backend add(String name) {
        return registry.add(
                Backend.create(
                        "",
                        name,
                        "http://" + name + ":11434",
                        BackendType.OLLAMA,
                        BackendSource.MDNS,
                        50,
                        Instant.now()),
                "found");
    }

    private List<String> shown() {
        List<String> out = new ArrayList<>();
        model.sorted().forEach(r -> out.add(r.backend().name()));
        return out;
    }

    @Test
    void aBatchOfManyChangesIsOneListChange() {
        List<Backend> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(Backend.create(
                    "", "b" + i, "http://b" + i + ":1", BackendType.GENERIC, BackendSource.MDNS, 50, Instant.now()));
        }
        AtomicInteger changes = new AtomicInteger();
        model.rows().addListener((ListChangeListener<BackendRow>) c -> changes.incrementAndGet());
        List<Backend> added = new ArrayList<>();
        for (Backend b : all) {
            added.add(registry.add(b, "found"));
        }
        changes.set(0);
        model.apply(new RegistryBatch(
                added.subList(0, 50).stream()
                        .map(b -> b.withStatus(BackendStatus.HEALTHY))
                        .toList(),
                java.util.Set.of(added.get(99).id(), added.get(98).id()),
                List.of(),
                0));
        assertThat(changes).hasValue(1);
        assertThat(model.rows()).hasSize(98);
    }

    @Test
    void aRowLeavesTheStatusFilterWhenItsStatusChanges() {
        Backend a = add("alpha");
        add("beta");
        registry.update(a.id(), "probe ok", b -> b.withStatus(BackendStatus.HEALTHY));
        model.statusFilterProperty().set(BackendStatus.HEALTHY);
        assertThat(shown()).containsExactly("alpha");
        registry.update(a.id(), "timeout", b -> b.withStatus(BackendStatus.UNHEALTHY));
        assertThat(shown()).isEmpty();
        model.statusFilterProperty().set(null);
        assertThat(shown()).containsExactlyInAnyOrder("alpha", "beta");
    }

    @Test
    void aChangeToTheSortKeyMovesTheRowAndOthersDoNotResort() {
        Backend a = add("alpha");
        add("beta");
        model.sorted()
                .setComparator(
                        Comparator.comparing((BackendRow r) -> r.backend().name()));
        model.setReorderWhen((before, after) -> !before.name().equals(after.name()));
        assertThat(shown()).containsExactly("alpha", "beta");
        registry.update(a.id(), "renamed", b -> b.withName("zulu"));
        assertThat(shown()).containsExactly("beta", "zulu");
        registry.update(a.id(), "probe", b -> b.withLatencySample(12));
        assertThat(model.row(a.id()).orElseThrow().latencyProperty().get()).isEqualTo(12.0);
        assertThat(shown()).containsExactly("beta", "zulu");
    }

    @Test
    void theTextFilterFindsModelsAndUrls() {
        Backend a = add("alpha");
        add("beta");
        registry.update(
                a.id(), "probe ok", b -> b.withModels(List.of(io.nexusmonitor.registry.ModelInfo.of("llama3:8b"))));
        model.filterTextProperty().set("LLAMA3");
        assertThat(shown()).containsExactly("alpha");
        model.filterTextProperty().set("beta:11434");
        assertThat(shown()).containsExactly("beta");
    }

    @Test
    void aNameThatCollidesShowsTheUrlBesideItInBothRows() {
        Backend a = add("gpu-box");
        BackendRow row = model.row(a.id()).orElseThrow();
        assertThat(row.nameProperty().get()).isEqualTo("gpu-box");

        Backend twin = registry.add(
                Backend.create(
                        "",
                        "gpu-box",
                        "http://127.0.0.1:11434",
                        BackendType.OLLAMA,
                        BackendSource.MANUAL,
                        0,
                        Instant.now()),
                "added by user");

        assertThat(row.nameProperty().get()).isEqualTo("gpu-box (" + a.url() + ")");
        assertThat(model.row(twin.id()).orElseThrow().nameProperty().get())
                .isEqualTo("gpu-box (http://127.0.0.1:11434)");
        registry.remove(twin.id(), "removed by user");
        assertThat(row.nameProperty().get()).isEqualTo("gpu-box");
    }
}
