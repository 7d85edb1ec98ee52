package io.nexusmonitor.discovery.logic;

import static io.nexusmonitor.discovery.logic.BackendMapperTest.found;
import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.cli.Main;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSettings.CapacitySource;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TXT {@code max_concurrent} (issue 12 item 2): a capacity with source mdns, below config, above the server's own. */
class TxtCapacityTest {
    private static final String LLM = "_llm._tcp.local.";
    private static final String ADDRESS = "192.168.1.10"; // data only: no traffic in this test

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T18:00:00Z"));
    private final Registry registry = new Registry(clock);
    private final DiscoveryEventHandler handler = new DiscoveryEventHandler(
            registry, DiscoveryConfig.defaults().withGracePeriod(Duration.ofSeconds(60)), new ManualDeadlines(clock));

    private Backend announce(Map<String, String> txt) {
        handler.handle(found("gpu", LLM, 8000, txt, ADDRESS));
        assertThat(registry.all()).hasSize(1);
        return registry.all().get(0);
    }

    @Test
    void anAnnouncedMaxConcurrentIsTheCapacityFromMdns() {
        Backend b = announce(Map.of("type", "vllm", "max_concurrent", "8"));
        assertThat(b.capacity()).isEqualTo(8);
        assertThat(b.settings().capacitySource()).isEqualTo(CapacitySource.MDNS);

        assertThat(announce(Map.of("type", "vllm", "max_concurrent", "4")).capacity())
                .isEqualTo(4);
        // the announcement no longer says it: the capacity it gave is withdrawn
        assertThat(announce(Map.of("type", "vllm")).capacity()).isNull();
    }

    @Test
    void badValuesAreIgnoredWithOneLogLine() {
        try (LogCapture log = LogCapture.of(TxtRecords.class)) {
            for (int i = 0; i < 3; i++) {
                assertThat(announce(Map.of("type", "vllm", "max_concurrent", "lots"))
                                .capacity())
                        .isNull();
            }
            for (String bad : new String[] {"0", "-2", "1.5", "99999999"}) {
                assertThat(announce(Map.of("type", "vllm", "max_concurrent", bad))
                                .capacity())
                        .isNull();
            }
            assertThat(log.messages()).filteredOn(m -> m.contains("'lots'")).hasSize(1);
            assertThat(log.messages())
                    .filteredOn(m -> m.contains("max_concurrent"))
                    .hasSize(5);
        }
    }

    @Test
    void theConfigFilesCapacityWinsOverTheAnnouncedOne() {
        Backend stat = registry.add(
                Backend.create(
                                "",
                                "gpu",
                                "http://" + ADDRESS + ":8000/v1",
                                BackendType.VLLM,
                                BackendSource.STATIC,
                                1,
                                clock.instant())
                        .withSettings(BackendSettings.DEFAULTS.withCapacity(2, CapacitySource.CONFIG)),
                "configured");
        Backend b = announce(Map.of("type", "vllm", "max_concurrent", "16"));
        assertThat(b.id()).isEqualTo(stat.id());
        assertThat(b.capacity()).isEqualTo(2);
        assertThat(b.settings().capacitySource()).isEqualTo(CapacitySource.CONFIG);
        assertThat(announce(Map.of("type", "vllm")).capacity()).isEqualTo(2);
    }

    @Test
    void theAnnouncedCapacityWinsOverTheServersOwnReport() {
        BackendSettings server = BackendSettings.DEFAULTS.offerCapacity(4, CapacitySource.SERVER);
        assertThat(server.offerCapacity(2, CapacitySource.MDNS).capacity()).isEqualTo(2);
        BackendSettings mdns = BackendSettings.DEFAULTS.offerCapacity(2, CapacitySource.MDNS);
        assertThat(mdns.offerCapacity(4, CapacitySource.SERVER)).isSameAs(mdns);
        assertThat(mdns.offerCapacity(9, CapacitySource.LEARNED).capacity()).isEqualTo(2);
        assertThat(mdns.offerCapacity(null, CapacitySource.SERVER)).isSameAs(mdns);
    }

    @Test
    void announceRefusesABadMaxConcurrent() {
        assertThat(Main.run("announce", "--type", "vllm", "--port", "8000", "--max-concurrent", "0"))
                .isEqualTo(2);
        assertThat(Main.run("announce", "--type", "vllm", "--port", "8000", "--max-concurrent", "x"))
                .isEqualTo(2);
    }
}
