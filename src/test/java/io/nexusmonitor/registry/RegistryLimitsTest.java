package io.nexusmonitor.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue 11 item 7, registry part: whatever a source brings, the registry holds bounded data. */
class RegistryLimitsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T18:00:00Z");

    private static Backend backend(String url) {
        return Backend.create("", "b", url, BackendType.OLLAMA, BackendSource.MANUAL, 50, NOW);
    }

    @Test
    void addBeyondMaxBackendsIsRefusedAndChangesNothing() {
        Registry r = new Registry(Clock.systemUTC(), new RegistryLimits(2, 2000, 128, 256));
        r.add(backend("http://127.0.0.1:1"), "test");
        r.add(backend("http://127.0.0.1:2"), "test");
        List<RegistryEvent> events = new CopyOnWriteArrayList<>();
        r.subscribe(events::add);

        assertThatThrownBy(() -> r.add(backend("http://127.0.0.1:3"), "test"))
                .isInstanceOf(RegistryFullException.class)
                .hasMessageContaining("holds 2 backends")
                .hasMessageContaining("max_backends");

        assertThat(r.size()).isEqualTo(2);
        assertThat(r.findByUrl("http://127.0.0.1:3")).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void removingOneMakesRoomAgain() {
        Registry r = new Registry(Clock.systemUTC(), new RegistryLimits(1, 2000, 128, 256));
        Backend a = r.add(backend("http://127.0.0.1:1"), "test");
        r.remove(a.id(), "test");
        assertThat(r.add(backend("http://127.0.0.1:2"), "test").url()).isEqualTo("http://127.0.0.1:2");
    }

    @Test
    void modelListsAreCutToTheCapInTheirOrderAndOverlongIdsDropped() {
        Registry r = new Registry(Clock.systemUTC(), new RegistryLimits(10, 3, 128, 10));
        Backend b = r.add(backend("http://127.0.0.1:1"), "test");
        List<ModelInfo> models = new ArrayList<>();
        models.add(ModelInfo.of("x".repeat(11)));
        for (int i = 0; i < 5000; i++) {
            models.add(ModelInfo.of("m" + i));
        }

        Backend after = r.update(b.id(), "test", x -> x.withModels(models)).orElseThrow();

        assertThat(after.models()).extracting(ModelInfo::id).containsExactly("m0", "m1", "m2");
        assertThat(r.modelIds()).containsExactlyInAnyOrder("m0", "m1", "m2");
    }

    @Test
    void longNamesAreCutAndTxtRecordsBounded() {
        Registry r = new Registry(Clock.systemUTC(), new RegistryLimits(10, 2000, 16, 256));
        Map<String, String> txt = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            txt.put("k" + i, "v".repeat(1000));
        }
        Backend b = r.add(
                backend("http://127.0.0.1:1")
                        .withName("n".repeat(1000))
                        .withMdns(new MdnsInfo(
                                "i".repeat(1000) + "._ollama._tcp.local.",
                                "_ollama._tcp.local.",
                                "h.local.",
                                List.of("127.0.0.1"),
                                txt,
                                NOW,
                                NOW)),
                "test");

        assertThat(b.name()).hasSize(16).endsWith("…");
        assertThat(b.mdns().txt()).hasSize(RegistryLimits.MAX_TXT_ENTRIES);
        assertThat(b.mdns().txt().values()).allSatisfy(v -> assertThat(v).hasSizeLessThanOrEqualTo(255));
        assertThat(b.mdns().instance()).hasSizeLessThanOrEqualTo(255);
    }

    @Test
    void capabilitiesPerModelAreBounded() {
        List<String> caps = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            caps.add("c" + i);
        }
        List<ModelInfo> kept = RegistryLimits.defaults().models(List.of(new ModelInfo("m", null, null, caps)));
        assertThat(kept.get(0).capabilities()).hasSize(RegistryLimits.MAX_CAPABILITIES);
    }
}
