package io.nexusmonitor.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogTextTest {

    @Test
    void plainTextIsLeftAsItIs() {
        assertThat(LogText.of("gpu-box (http://192.168.1.10:11434) llama3:8b — ünïcødé 模型 🦙"))
                .isEqualTo("gpu-box (http://192.168.1.10:11434) llama3:8b — ünïcødé 模型 🦙");
    }

    @Test
    void newlinesCannotStartAForgedLogLine() {
        String forged = "box\n2026-12-01 12:00:00 INFO  NexusEngine - backend admin added\r\tend";
        assertThat(LogText.of(forged))
                .isEqualTo("box\\n2026-12-01 12:00:00 INFO  NexusEngine - backend admin added\\r\\tend")
                .doesNotContain("\n", "\r", "\t");
    }

    @Test
    void ansiEscapesAreShownNotObeyed() {
        assertThat(LogText.of("\u001b[31mred\u001b[0m \u001b]0;title\u0007"))
                .isEqualTo("\\u001b[31mred\\u001b[0m \\u001b]0;title\\u0007");
        assertThat(LogText.of("8-bit CSI \u009b31m")).isEqualTo("8-bit CSI \\u009b31m");
    }

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({"0000", "001f", "007f", "0085", "2028", "2029", "202a", "202e", "2066", "2069", "200e", "200f", "061c"})
    void everyControlAndBidiCharacterIsEscaped(String hex) {
        char c = (char) Integer.parseInt(hex, 16);
        assertThat(LogText.of("a" + c + "b")).isEqualTo("a\\u" + hex + "b");
    }

    @Test
    void aBackslashIsDoubledSoEscapesAreUnambiguous() {
        assertThat(LogText.of("a\\nb")).isEqualTo("a\\\\nb");
    }

    @Test
    void unpairedSurrogatesAreEscaped() {
        assertThat(LogText.of("x\ud800y")).isEqualTo("x\\ud800y");
    }

    @Test
    void longValuesAreCutWithAnEllipsis() {
        String s = LogText.of("m".repeat(5000));
        assertThat(s).hasSize(LogText.MAX_CHARS + 1).endsWith("m…");
        assertThat(LogText.of("abcdef", 3)).isEqualTo("abc…");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        assertThat(LogText.of("ab🦙cd", 3)).isEqualTo("ab…");
    }

    @Test
    void nullAndObjectsAreWrittenAsText() {
        assertThat(LogText.of(null)).isEqualTo("null");
        assertThat(LogText.of(java.util.List.of("a\nb"))).isEqualTo("[a\\nb]");
    }

    @Test
    void logOnceRemembersAKeyUntilForgottenAndStaysBounded() {
        LogOnce once = new LogOnce(3);
        assertThat(once.see("a")).isEqualTo(LogOnce.Verdict.FIRST);
        assertThat(once.see("a")).isEqualTo(LogOnce.Verdict.SEEN);
        once.forget("a");
        assertThat(once.see("a")).isEqualTo(LogOnce.Verdict.FIRST);
        assertThat(once.see("b")).isEqualTo(LogOnce.Verdict.FIRST);
        assertThat(once.see("c")).isEqualTo(LogOnce.Verdict.FIRST);
        // a flood: one overflow notice, then silence, and memory stays at the capacity
        assertThat(once.see("flood-0")).isEqualTo(LogOnce.Verdict.OVERFLOW);
        for (int i = 1; i < 10_000; i++) {
            assertThat(once.see("flood-" + i)).isEqualTo(LogOnce.Verdict.SEEN);
        }
        assertThat(once.size()).isEqualTo(3);
        assertThat(once.see("a"))
                .as("keys remembered before the flood stay quiet")
                .isEqualTo(LogOnce.Verdict.SEEN);
    }
}
