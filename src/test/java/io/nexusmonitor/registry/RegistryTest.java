package io.nexusmonitor.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RegistryTest {
    private static final Instant T0 = Instant.parse("2026-11-24T18:00:00Z");
    private final Registry registry = new Registry(Clock.fixed(T0, ZoneOffset.UTC));
    private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

    RegistryTest() {
        registry.subscribe(events::add);
    }

    private static Backend template(String name, String url) {
        return Backend.create("", name, url, BackendType.OLLAMA, BackendSource.MANUAL, 50, T0);
    }

    private Backend add(String name, String url) {
        return registry.add(template(name, url), "added");
    }

    @Test
    void addsBackendWithNormalisedUrlAndStableId() {
        Backend b = add("gpu", "HTTP://GPU-Box:80/");

        assertThat(b.url()).isEqualTo("http://gpu-box");
        assertThat(b.id()).isEqualTo(Registry.idFor("http://gpu-box")).hasSize(12);
        assertThat(b.status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(registry.get(b.id())).contains(b);
        assertThat(registry.findByUrl("http://gpu-box/")).contains(b);
        assertThat(registry.findByUrl("gpu-box:80")).isPresent();
        assertThat(registry.findByUrl("http://other")).isEmpty();
    }

    @Test
    void emitsAddedEventWithHistoryEntry() {
        Backend b = add("gpu", "http://gpu:11434");

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(RegistryEvent.Kind.BACKEND_ADDED);
            assertThat(e.backend()).isEqualTo(b);
            assertThat(e.previous()).isNull();
            assertThat(e.cause()).isEqualTo("added");
        });
        assertThat(b.history()).extracting(HistoryEntry::cause).containsExactly("added");
    }

    @Test
    void refusesSecondBackendAtSameUrl() {
        Backend first = add("a", "http://gpu:11434");

        assertThatThrownBy(() -> add("b", "http://GPU:11434/"))
                .isInstanceOf(DuplicateBackendException.class)
                .hasMessageContaining("already exists")
                .satisfies(e ->
                        assertThat(((DuplicateBackendException) e).existing()).isEqualTo(first));
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void refusesInvalidUrl() {
        assertThatThrownBy(() -> add("x", "ftp://host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://");
        assertThat(events).isEmpty();
    }

    @Test
    void statusChangeEmitsStatusChangedAndRecordsHistory() {
        Backend b = add("gpu", "http://gpu:11434");
        events.clear();

        Backend after = registry.update(b.id(), "HTTP 200", x -> x.withStatus(BackendStatus.HEALTHY))
                .orElseThrow();

        assertThat(after.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(events).extracting(RegistryEvent::kind).containsExactly(RegistryEvent.Kind.STATUS_CHANGED);
        assertThat(events.get(0).previous().status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(after.history()).extracting(HistoryEntry::cause).containsExactly("added", "HTTP 200");
    }

    @Test
    void otherChangesEmitBackendUpdatedWithoutHistory() {
        Backend b = add("gpu", "http://gpu:11434");
        events.clear();

        Backend after = registry.update(b.id(), "models", x -> x.withModels(List.of(ModelInfo.of("llama3:8b"))))
                .orElseThrow();

        assertThat(events).extracting(RegistryEvent::kind).containsExactly(RegistryEvent.Kind.BACKEND_UPDATED);
        assertThat(after.history()).hasSize(1);
    }

    @Test
    void unchangedUpdateEmitsNothing() {
        Backend b = add("gpu", "http://gpu:11434");
        events.clear();

        assertThat(registry.update(b.id(), "same", x -> x)).contains(b);
        assertThat(events).isEmpty();
    }

    @Test
    void graceStartAndCancelEmitTheirEvents() {
        Backend b = add("gpu", "http://gpu:11434");
        events.clear();

        registry.update(b.id(), "goodbye", x -> x.withGraceDeadline(T0.plusSeconds(60)));
        registry.update(b.id(), "reappeared", x -> x.withGraceDeadline(null));

        assertThat(events)
                .extracting(RegistryEvent::kind)
                .containsExactly(RegistryEvent.Kind.GRACE_STARTED, RegistryEvent.Kind.GRACE_CANCELLED);
        assertThat(registry.get(b.id()).orElseThrow().history())
                .extracting(HistoryEntry::cause)
                .containsExactly("added", "goodbye", "reappeared");
    }

    @Test
    void statusAndGraceInOneUpdateEmitBothInOrder() {
        Backend b = add("gpu", "http://gpu:11434");
        registry.update(b.id(), "ok", x -> x.withStatus(BackendStatus.HEALTHY));
        events.clear();

        registry.update(
                b.id(), "goodbye", x -> x.withStatus(BackendStatus.UNKNOWN).withGraceDeadline(T0.plusSeconds(60)));

        assertThat(events)
                .extracting(RegistryEvent::kind)
                .containsExactly(RegistryEvent.Kind.STATUS_CHANGED, RegistryEvent.Kind.GRACE_STARTED);
    }

    @Test
    void updateMayNotChangeIdentity() {
        Backend b = add("gpu", "http://gpu:11434");

        assertThatThrownBy(() -> registry.update(
                        b.id(),
                        "x",
                        x -> new Backend(
                                x.id(),
                                "http://other",
                                x.profile(),
                                x.settings(),
                                x.health(),
                                x.traffic(),
                                x.presence())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void updateOfUnknownIdIsEmpty() {
        assertThat(registry.update("nope", "x", b -> b.withStatus(BackendStatus.HEALTHY)))
                .isEmpty();
        assertThat(registry.remove("nope", "x")).isEmpty();
    }

    @Test
    void removeEmitsRemovedAndForgetsUrlAndModels() {
        Backend b = add("gpu", "http://gpu:11434");
        registry.update(b.id(), "models", x -> x.withModels(List.of(ModelInfo.of("m1"))));
        events.clear();

        Backend removed = registry.remove(b.id(), "grace expired").orElseThrow();

        assertThat(removed.id()).isEqualTo(b.id());
        assertThat(events).extracting(RegistryEvent::kind).containsExactly(RegistryEvent.Kind.BACKEND_REMOVED);
        assertThat(events.get(0).cause()).isEqualTo("grace expired");
        assertThat(registry.findByUrl("http://gpu:11434")).isEmpty();
        assertThat(registry.backendsForModel("m1")).isEmpty();
        assertThat(registry.modelIds()).isEmpty();
        assertThat(add("gpu", "http://gpu:11434").id()).as("same URL, same id").isEqualTo(b.id());
    }

    @Test
    void modelIndexFollowsModelChanges() {
        Backend a = add("a", "http://a:1");
        Backend b = add("b", "http://b:1");
        registry.update(a.id(), "m", x -> x.withModels(List.of(ModelInfo.of("llama3"), ModelInfo.of("qwen2"))));
        registry.update(b.id(), "m", x -> x.withModels(List.of(ModelInfo.of("llama3"))));

        assertThat(registry.backendsForModel("llama3"))
                .extracting(Backend::id)
                .containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(registry.backendsForModel("qwen2")).extracting(Backend::id).containsExactly(a.id());

        registry.update(a.id(), "m", x -> x.withModels(List.of(ModelInfo.of("qwen2"))));

        assertThat(registry.backendsForModel("llama3")).extracting(Backend::id).containsExactly(b.id());
        assertThat(registry.modelIds()).containsExactlyInAnyOrder("llama3", "qwen2");
        assertThat(registry.backendsForModel("absent")).isEmpty();
    }

    @Test
    void countersNeverGoBelowZeroAndEmitNoEvents() {
        Backend b = add("gpu", "http://gpu:11434");
        events.clear();

        registry.requestStarted(b.id());
        registry.requestStarted(b.id());
        registry.requestFinished(b.id());
        registry.requestFinished(b.id());
        registry.requestFinished(b.id());

        Backend now = registry.get(b.id()).orElseThrow();
        assertThat(now.pendingRequests()).isZero();
        assertThat(now.totalRequests()).isEqualTo(2);
        assertThat(events).isEmpty();
    }

    @Test
    void updateDoesNotUndoConcurrentCounterChanges() {
        Backend b = add("gpu", "http://gpu:11434");
        Backend stale = registry.get(b.id()).orElseThrow();
        registry.requestStarted(b.id());

        registry.update(b.id(), "x", x -> stale.withStatus(BackendStatus.HEALTHY));

        assertThat(registry.get(b.id()).orElseThrow().pendingRequests()).isEqualTo(1);
    }

    @Test
    void latencyIsAnExponentialMovingAverage() {
        Backend b = add("gpu", "http://gpu:11434");

        Backend after = registry.update(
                        b.id(), "ok", x -> x.withLatencySample(100).withLatencySample(50))
                .orElseThrow();

        // the first sample is the average; a new one pulls it toward itself, by less than all the way
        assertThat(after.avgLatencyMs()).isStrictlyBetween(50.0, 100.0);
        Backend settled = after;
        for (int i = 0; i < 100; i++) {
            settled = settled.withLatencySample(10);
        }
        assertThat(settled.avgLatencyMs())
                .as("many equal samples: the average converges to them")
                .isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void historyKeepsTheLastFifty() {
        Backend b = add("gpu", "http://gpu:11434");
        for (int i = 0; i < 60; i++) {
            BackendStatus s = i % 2 == 0 ? BackendStatus.HEALTHY : BackendStatus.UNHEALTHY;
            registry.update(b.id(), "step " + i, x -> x.withStatus(s));
        }

        List<HistoryEntry> h = registry.get(b.id()).orElseThrow().history();
        assertThat(h).hasSize(Backend.HISTORY_LIMIT);
        assertThat(h.get(h.size() - 1).cause()).isEqualTo("step 59");
        assertThat(h.get(0).cause()).isEqualTo("step 10");
    }

    @Test
    void countsByStatusIncludeEveryStatus() {
        Backend a = add("a", "http://a:1");
        add("b", "http://b:1");
        registry.update(a.id(), "ok", x -> x.withStatus(BackendStatus.HEALTHY));

        assertThat(registry.countByStatus())
                .containsEntry(BackendStatus.HEALTHY, 1)
                .containsEntry(BackendStatus.UNKNOWN, 1)
                .containsEntry(BackendStatus.LOADING, 0)
                .hasSize(BackendStatus.values().length);
    }

    @Test
    void listenerMayCallTheRegistryAndEventsStayInOrder() {
        List<String> seen = new ArrayList<>();
        registry.subscribe(e -> {
            seen.add(e.kind() + ":" + e.backend().name());
            if (e.kind() == RegistryEvent.Kind.BACKEND_ADDED) {
                registry.update(e.backend().id(), "checked", b -> b.withStatus(BackendStatus.HEALTHY));
            }
        });

        add("gpu", "http://gpu:11434");

        assertThat(seen).containsExactly("BACKEND_ADDED:gpu", "STATUS_CHANGED:gpu");
        assertThat(events).extracting(RegistryEvent::sequence).isSorted();
    }

    @Test
    void failingListenerDoesNotStopOthers() {
        registry.subscribe(e -> {
            throw new IllegalStateException("boom");
        });
        List<RegistryEvent> after = new ArrayList<>();
        registry.subscribe(after::add);

        add("gpu", "http://gpu:11434");

        assertThat(after).hasSize(1);
    }

    @Test
    void unsubscribedListenerReceivesNothing() throws Exception {
        List<RegistryEvent> got = new ArrayList<>();
        AutoCloseable sub = registry.subscribe(got::add);
        sub.close();

        add("gpu", "http://gpu:11434");

        assertThat(got).isEmpty();
    }

    @Test
    void listsBackendsOldestFirst() {
        add("first", "http://a:1");
        add("second", "http://b:1");

        assertThat(registry.all()).extracting(Backend::name).containsExactly("first", "second");
    }

    @Test
    void aNameSharedWithAnotherBackendIsLabelledWithItsUrl() {
        Backend a = add("gpu-box", "http://127.0.0.1:11434");
        assertThat(registry.label(a)).isEqualTo("gpu-box");

        Backend b = add("gpu-box", "http://127.0.0.2:11434");
        assertThat(registry.label(a)).isEqualTo("gpu-box (http://127.0.0.1:11434)");
        assertThat(registry.label(b)).isEqualTo("gpu-box (http://127.0.0.2:11434)");

        registry.update(b.id(), "renamed", x -> x.withName("other"));
        assertThat(registry.label(a)).isEqualTo("gpu-box");
        assertThat(registry.label(registry.get(b.id()).orElseThrow())).isEqualTo("other");

        Backend c = add("other", "http://127.0.0.3:1");
        assertThat(registry.label(c)).isEqualTo("other (http://127.0.0.3:1)");
        registry.remove(b.id(), "gone");
        assertThat(registry.label(c)).isEqualTo("other");
        assertThat(registry.hasName("other")).isTrue();
        assertThat(registry.hasName("nobody")).isFalse();
    }

    @Test
    void relocateMovesTheUrlKeepingTheIdAndRefusesATakenUrl() {
        Backend a = add("a", "http://127.0.0.1:11434");
        add("b", "http://127.0.0.1:9000");
        Backend moved =
                registry.relocate(a.id(), "http://127.0.0.1:11500/", "moved").orElseThrow();
        assertThat(moved.id()).isEqualTo(a.id());
        assertThat(moved.url()).isEqualTo("http://127.0.0.1:11500");
        assertThat(registry.findByUrl("http://127.0.0.1:11500")).contains(moved);
        assertThat(registry.findByUrl("http://127.0.0.1:11434")).isEmpty();
        assertThat(events).last().extracting(RegistryEvent::kind).isEqualTo(RegistryEvent.Kind.BACKEND_UPDATED);
        assertThatThrownBy(() -> registry.relocate(a.id(), "http://127.0.0.1:9000", "moved"))
                .isInstanceOf(DuplicateBackendException.class);
        assertThat(registry.get(a.id()).orElseThrow().url()).isEqualTo("http://127.0.0.1:11500");
        // the old URL is free again: a new backend there gets the id that URL derives
        assertThat(add("c", "http://127.0.0.1:11434").id()).isNotEqualTo(a.id());
    }

    @Test
    void theLiveListOfAModelsBackendsShowsEachOnesNewestSnapshot() {
        Backend a = add("a", "http://a:1");
        Backend b = add("b", "http://b:1");
        for (Backend x : List.of(a, b)) {
            registry.update(x.id(), "probe", y -> y.withModels(List.of(ModelInfo.of("m"))));
        }
        List<Backend> live = registry.backendsForModelLive("m");
        assertThat(live).extracting(Backend::name).containsExactly("a", "b");
        assertThat(live).containsExactlyElementsOf(registry.backendsForModel("m"));

        registry.update(a.id(), "probe", y -> y.withStatus(BackendStatus.HEALTHY));
        assertThat(live.get(0).status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(registry.backendsForModelLive("nothing")).isEmpty();
    }
}
