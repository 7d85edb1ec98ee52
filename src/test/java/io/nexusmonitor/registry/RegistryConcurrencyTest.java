package io.nexusmonitor.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RegistryConcurrencyTest {

    @Test
    void concurrentUpdatesLoseNothing() throws Exception {
        Registry registry = new Registry();
        List<RegistryEvent> events = new CopyOnWriteArrayList<>();
        registry.subscribe(events::add);
        int threads = 8;
        int perThread = 500;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(registry.add(
                            Backend.create(
                                    "",
                                    "b" + i,
                                    "http://b" + i + ":1",
                                    BackendType.GENERIC,
                                    BackendSource.MANUAL,
                                    50,
                                    Instant.now()),
                            "added")
                    .id());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        AtomicInteger modelCounter = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    String id = ids.get((thread + i) % ids.size());
                    registry.requestStarted(id);
                    String model = "m" + modelCounter.incrementAndGet();
                    registry.update(id, "models", b -> b.withModels(appended(b.models(), model)));
                    registry.requestFinished(id);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        long total = registry.all().stream().mapToLong(Backend::totalRequests).sum();
        long pending =
                registry.all().stream().mapToLong(Backend::pendingRequests).sum();
        int models = registry.all().stream().mapToInt(b -> b.models().size()).sum();
        assertThat(total).isEqualTo((long) threads * perThread);
        assertThat(pending).isZero();
        assertThat(models).as("no model append lost").isEqualTo(threads * perThread);
        assertThat(registry.modelIds()).hasSize(threads * perThread);
        assertThat(events).extracting(RegistryEvent::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(events).hasSize(4 + threads * perThread);
    }

    private static List<ModelInfo> appended(List<ModelInfo> models, String id) {
        List<ModelInfo> l = new ArrayList<>(models);
        l.add(ModelInfo.of(id));
        return l;
    }

    @Property(tries = 200)
    void pendingCountEqualsStartsMinusFinishesNeverNegative(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1) Integer> ops) {
        Registry registry = new Registry();
        String id = registry.add(
                        Backend.create(
                                "", "b", "http://b:1", BackendType.GENERIC, BackendSource.MANUAL, 50, Instant.now()),
                        "added")
                .id();
        long expectedPending = 0;
        long expectedTotal = 0;
        for (int op : ops) {
            if (op == 1) {
                registry.requestStarted(id);
                expectedPending++;
                expectedTotal++;
            } else {
                registry.requestFinished(id);
                expectedPending = Math.max(0, expectedPending - 1);
            }
            Backend b = registry.get(id).orElseThrow();
            assertThat(b.pendingRequests()).isEqualTo(expectedPending).isNotNegative();
            assertThat(b.totalRequests()).isEqualTo(expectedTotal);
        }
    }
}
