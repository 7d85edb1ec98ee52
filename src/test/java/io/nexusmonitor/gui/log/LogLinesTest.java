package io.nexusmonitor.gui.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogLinesTest {
    private final Registry registry = new Registry();
    private final List<RegistryEvent> events = new ArrayList<>();

    LogLinesTest() {
        registry.subscribe(events::add);
    }

    private List<String> lines() {
        return events.stream()
                .map(LogLines::line)
                .flatMap(Optional::stream)
                .map(l -> l.substring(10))
                .toList();
    }

    @Test
    void logsTheLifeOfABackend() {
        Backend b = registry.add(
                Backend.create(
                        "",
                        "gpu",
                        "http://198.18.0.5:11434",
                        BackendType.OLLAMA,
                        BackendSource.MDNS,
                        50,
                        Instant.now()),
                "found");
        registry.update(b.id(), "probe ok", x -> x.withStatus(BackendStatus.HEALTHY));
        registry.update(b.id(), "probe", x -> x.withLatencySample(5));
        registry.update(b.id(), "pinned", x -> x.withPinned(true));
        registry.update(b.id(), "unpinned", x -> x.withPinned(false));
        registry.update(
                b.id(), "goodbye", x -> x.withGraceDeadline(Instant.now().plusSeconds(60)));
        registry.update(b.id(), "announced again", x -> x.withGraceDeadline(null));
        registry.remove(b.id(), "grace period expired");
        assertThat(lines())
                .containsExactly(
                        "found gpu (http://198.18.0.5:11434) as mdns  — found",
                        "gpu (http://198.18.0.5:11434): unknown → healthy  — probe ok",
                        "pinned gpu (http://198.18.0.5:11434)  — pinned",
                        "unpinned gpu (http://198.18.0.5:11434)  — unpinned",
                        lines().get(4),
                        "gpu (http://198.18.0.5:11434): back, removal cancelled  — announced again",
                        "removed gpu (http://198.18.0.5:11434)  — grace period expired");
        assertThat(lines().get(4))
                .startsWith("gpu (http://198.18.0.5:11434): no longer announced, removal at ")
                .endsWith("— goodbye");
    }
}
