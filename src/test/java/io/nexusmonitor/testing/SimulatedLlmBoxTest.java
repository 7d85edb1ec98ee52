package io.nexusmonitor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The simulated box behaves like an Ollama-like server: slots, a queue, model swaps that block the box. */
class SimulatedLlmBoxTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private CompletableFuture<HttpResponse<String>> chat(SimulatedLlmBox box, String model) {
        return http.sendAsync(
                HttpRequest.newBuilder(URI.create(box.url() + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":3}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(SimulatedLlmBox box, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(box.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void streamsFromTheResidentModelWithoutLoading() throws Exception {
        try (SimulatedLlmBox box =
                SimulatedLlmBox.builder("b").models("a", "b").resident("a").start()) {
            HttpResponse<String> r = chat(box, "a").get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"content\":\"tok0 \"").endsWith("data: [DONE]\n\n");
            assertThat(box.loads()).isZero();
            // the box counts a request once its last write completed, which may be just after the client read it
            org.awaitility.Awaitility.await().until(() -> box.served() == 1);
        }
    }

    @Test
    void aRequestForAnotherModelSwapsItInAndThatTakesTheLoadTime() throws Exception {
        try (SimulatedLlmBox box = SimulatedLlmBox.builder("b")
                .models("a", "b")
                .resident("a")
                .loadTime(Duration.ofMillis(300))
                .start()) {
            long t0 = System.nanoTime();
            assertThat(chat(box, "b").get().statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(box.loads()).isEqualTo(1);
            assertThat(box.resident()).containsExactly("b");
            assertThat(get(box, "/api/ps")).contains("\"name\":\"b\"").doesNotContain("\"name\":\"a\"");
        }
    }

    @Test
    void runsNoMoreThanItsSlotsAtOnce() throws Exception {
        try (SimulatedLlmBox box =
                SimulatedLlmBox.builder("b").models("a").resident("a").slots(2).start()) {
            CompletableFuture<?>[] all = new CompletableFuture<?>[6];
            for (int i = 0; i < all.length; i++) {
                all[i] = chat(box, "a");
            }
            CompletableFuture.allOf(all).get();
            org.awaitility.Awaitility.await().until(() -> box.served() == 6);
            assertThat(box.maxRunningSeen()).isEqualTo(2);
            assertThat(get(box, "/props")).contains("\"total_slots\":2");
        }
    }

    @Test
    void answers503WhenItsQueueIsFull() throws Exception {
        try (SimulatedLlmBox box = SimulatedLlmBox.builder("b")
                .models("a", "b")
                .resident("a")
                .maxQueue(1)
                .loadTime(Duration.ofSeconds(2))
                .start()) {
            CompletableFuture<HttpResponse<String>> loading = chat(box, "b"); // head of the queue while "b" loads
            org.awaitility.Awaitility.await().until(() -> box.queued() == 1);
            HttpResponse<String> refused = chat(box, "a").get();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(box.rejected()).isEqualTo(1);
            assertThat(loading.get().statusCode()).isEqualTo(200);
        }
    }
}
