package io.nexusmonitor.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageScannerTest {

    private static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    /** Feeds the answer in chunks of {@code size} bytes and returns what would reach the client. */
    private static String feed(UsageScanner s, String answer, int size) {
        StringBuilder out = new StringBuilder();
        byte[] all = answer.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < all.length; i += size) {
            ByteBuffer chunk =
                    ByteBuffer.wrap(all, i, Math.min(size, all.length - i)).slice();
            out.append(text(s.filter(chunk)));
        }
        out.append(text(s.rest()));
        return out.toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "openai json | {\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,\"total_tokens\":21}} | 9 | 12",
                "openai with details | {\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"completion_tokens_details\":{\"reasoning_tokens\":3}}} | 5 | 7",
                "ollama chat | {\"model\":\"llama3\",\"message\":{\"content\":\"hi\"},\"done\":true,\"prompt_eval_count\":26,\"eval_count\":290} | 26 | 290",
                "llama.cpp timings | {\"content\":\"hi\",\"timings\":{\"prompt_n\":4,\"prompt_ms\":1.2,\"predicted_n\":33,\"predicted_ms\":80.5}} | 4 | 33",
                "spaces after colons | {\"usage\": {\"prompt_tokens\" : 3, \"completion_tokens\": 4}} | 3 | 4",
            })
    void readsUsageFromJsonAnswers(String shape, String body, int in, int out) {
        for (int size : new int[] {body.length(), 7, 1}) {
            UsageScanner s = new UsageScanner(false, false);
            assertThat(feed(s, body, size)).isEqualTo(body);
            assertThat(s.usage())
                    .as("%s in chunks of %d", shape, size)
                    .isEqualTo(new UsageScanner.Usage(in, out, false));
        }
    }

    @Test
    void aKeyInsideAStringValueIsNotUsage() {
        UsageScanner s = new UsageScanner(false, false);
        feed(s, "{\"choices\":[{\"message\":{\"content\":\"say \\\"completion_tokens\\\": 99\"}}]}", 1000);
        assertThat(s.usage()).isEqualTo(new UsageScanner.Usage(-1, -1, false));
    }

    @Test
    void aStreamWithUsageInItsLastChunkIsExact() {
        String sse = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}],\"usage\":null}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}],\"usage\":null}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}],\"usage\":null}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2}}\n\n"
                + "data: [DONE]\n\n";
        UsageScanner s = new UsageScanner(true, false);
        assertThat(feed(s, sse, 50)).isEqualTo(sse);
        assertThat(s.usage()).isEqualTo(new UsageScanner.Usage(8, 2, false));
        assertThat(s.firstContentNanos()).isPositive();
    }

    @Test
    void aStreamWithoutUsageCountsContentChunksAndSaysSo() {
        String sse = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"c\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        UsageScanner s = new UsageScanner(true, false);
        for (String event : sse.split("(?<=\n\n)")) {
            s.filter(buf(event));
        }
        assertThat(s.usage()).isEqualTo(new UsageScanner.Usage(-1, 3, true));
    }

    @Test
    void completionsStreamsCountTextChunks() {
        UsageScanner s = new UsageScanner(true, false);
        s.filter(buf("data: {\"choices\":[{\"text\":\"one\"}]}\n\ndata: {\"choices\":[{\"text\":\" two\"}]}\n\n"));
        assertThat(s.usage()).isEqualTo(new UsageScanner.Usage(-1, 2, true));
    }

    @Test
    void ollamaNdjsonStreamTakesTheFinalCounts() {
        String nd =
                "{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"message\":{\"content\":\"b\"},\"done\":false}\n"
                        + "{\"message\":{\"content\":\"\"},\"done\":true,\"prompt_eval_count\":11,\"eval_count\":2}\n";
        UsageScanner s = new UsageScanner(true, false);
        feed(s, nd, 13);
        assertThat(s.usage()).isEqualTo(new UsageScanner.Usage(11, 2, false));
    }

    @Test
    void theUsageEventTheGatewayAskedForIsTakenOut() {
        String before = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n";
        String usage =
                "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":1}}\n\n";
        String done = "data: [DONE]\n\n";
        for (int size : new int[] {1000, 17, 3, 1}) {
            UsageScanner s = new UsageScanner(true, true);
            assertThat(feed(s, before + usage + done, size))
                    .as("chunks of %d", size)
                    .isEqualTo(before + done);
            assertThat(s.usage()).isEqualTo(new UsageScanner.Usage(8, 1, false));
        }
    }

    @Test
    void strippingKeepsEventsWithChoicesAndCrLfFraming() {
        String a = "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\r\n\r\n";
        String u = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\r\n\r\n";
        UsageScanner s = new UsageScanner(true, true);
        assertThat(feed(s, a + u + "data: [DONE]\r\n\r\n", 9)).isEqualTo(a + "data: [DONE]\r\n\r\n");
    }

    @Test
    void anUnframedTailIsPassedOnAtTheEnd() {
        UsageScanner s = new UsageScanner(true, true);
        List<String> out = new ArrayList<>();
        out.add(text(s.filter(buf("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\ndata: [DO"))));
        out.add(text(s.filter(buf("NE]"))));
        out.add(text(s.rest()));
        assertThat(String.join("", out))
                .isEqualTo("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\ndata: [DONE]");
    }

    @Test
    void withoutStrippingTheChunkIsPassedAsItIs() {
        UsageScanner s = new UsageScanner(true, false);
        ByteBuffer b = buf("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n");
        assertThat(s.filter(b)).isSameAs(b);
        assertThat(b.position()).isZero();
    }
}
