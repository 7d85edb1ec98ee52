package io.nexusmonitor.gui.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11 item 9: the window's event log shows a name with line breaks or escapes as text, on one line. */
class EscapedLogLinesTest {

    @Test
    void namesWithNewlinesAndAnsiStayOnOneVisibleLine() {
        Registry registry = new Registry();
        List<RegistryEvent> events = new ArrayList<>();
        registry.subscribe(events::add);
        registry.add(
                Backend.create(
                        "",
                        "evil\n12:00:00  removed gpu (http://198.18.0.5:11434)\u001b[8m\u202e",
                        "http://198.18.0.9:1",
                        BackendType.OLLAMA,
                        BackendSource.MDNS,
                        50,
                        Instant.now()),
                "found\r\nforged");

        String line = LogLines.line(events.get(0)).orElseThrow();

        assertThat(line)
                .doesNotContain("\n", "\r", "\u001b", "\u202e")
                .endsWith(
                        "found evil\\n12:00:00  removed gpu (http://198.18.0.5:11434)\\u001b[8m\\u202e (http://198.18.0.9:1)"
                                + " as mdns  — found\\r\\nforged");
        assertThat(LogLines.note(Instant.now(), "a\nb")).endsWith("a\\nb");
    }
}
