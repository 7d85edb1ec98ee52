package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What goes into X-Nexus-Backend and X-Nexus-Route-Reason, whatever a backend calls itself. */
class HeaderSafeTest {
    @Test
    void a_plain_ascii_name_passes_unchanged() {
        String name = "gpu-box (ollama) #2: priority 1, 0 in flight";
        assertThat(ProxyExchange.headerSafe(name)).isSameAs(name);
    }

    @Test
    void non_ascii_and_control_characters_become_question_marks() {
        assertThat(ProxyExchange.headerSafe("Küche\tGPU\r\nX-Evil: 1")).isEqualTo("K?che?GPU??X-Evil: 1");
        assertThat(ProxyExchange.headerSafe("\u7f16\u8f91")).isEqualTo("??");
        assertThat(ProxyExchange.headerSafe("del\u007f")).isEqualTo("del?");
    }

    @Test
    void an_empty_name_stays_empty() {
        assertThat(ProxyExchange.headerSafe("")).isEmpty();
    }
}
