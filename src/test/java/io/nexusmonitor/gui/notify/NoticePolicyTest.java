package io.nexusmonitor.gui.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.RegistryEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NoticePolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-24T20:00:00Z");
    private final NoticePolicy policy = new NoticePolicy(NexusConfig.Notifications.defaults());

    private static Backend backend(String name) {
        return Backend.create(
                "id-" + name, name, "http://" + name + ":11434", BackendType.OLLAMA, BackendSource.MDNS, 50, T0);
    }

    private static RegistryEvent event(RegistryEvent.Kind kind, String name, long atSecond) {
        return new RegistryEvent(atSecond, kind, backend(name), null, "found", T0.plusSeconds(atSecond));
    }

    private static RegistryEvent found(String name, long atSecond) {
        return event(RegistryEvent.Kind.BACKEND_ADDED, name, atSecond);
    }

    private static RegistryEvent removed(String name, long atSecond) {
        return event(RegistryEvent.Kind.BACKEND_REMOVED, name, atSecond);
    }

    @Test
    void aBurstWithinTwoSecondsIsOneNotice() {
        for (String n : new String[] {"a", "b", "c", "d", "e"}) {
            policy.offer(found(n, 1));
        }
        assertThat(policy.due(T0.plusSeconds(2))).isEmpty();
        assertThat(policy.due(T0.plusSeconds(3))).hasValueSatisfying(n -> {
            assertThat(n.title()).isEqualTo("5 backends found");
            assertThat(n.body()).isEqualTo("Found: a, b, c, d, e");
            assertThat(n.found()).containsExactly("id-a", "id-b", "id-c", "id-d", "id-e");
            assertThat(n.removed()).isZero();
        });
        assertThat(policy.due(T0.plusSeconds(10))).isEmpty();
    }

    @Test
    void foundAndRemovedInOneBurstShareTheNotice() {
        policy.offer(found("a", 0));
        policy.offer(removed("b", 1));
        assertThat(policy.due(T0.plusSeconds(2))).map(Notice::title).hasValue("1 backend found, 1 removed");
    }

    @Test
    void aLoneChangeNamesTheBackend() {
        policy.offer(removed("gpu-box", 0));
        assertThat(policy.due(T0.plusSeconds(2)))
                .hasValue(new Notice("1 backend removed", "Removed: gpu-box", java.util.List.of(), 1));
    }

    @Test
    void aFlappingBackendIsNotAnnouncedTwiceWithinAMinute() {
        policy.offer(found("a", 0));
        policy.offer(removed("a", 1));
        assertThat(policy.due(T0.plusSeconds(3))).isPresent();
        policy.offer(found("a", 20));
        policy.offer(removed("a", 21));
        assertThat(policy.due(T0.plusSeconds(30))).isEmpty();
        policy.offer(found("a", 61));
        assertThat(policy.due(T0.plusSeconds(63))).map(Notice::title).hasValue("1 backend found");
    }

    @Test
    void backendsAddedByHandOrFromTheConfigAreNotAnnouncedAsFound() {
        for (BackendSource source : new BackendSource[] {BackendSource.MANUAL, BackendSource.STATIC}) {
            Backend b = Backend.create("id-" + source, "x", "http://x:1", BackendType.GENERIC, source, 50, T0);
            policy.offer(new RegistryEvent(1, RegistryEvent.Kind.BACKEND_ADDED, b, null, "added by user", T0));
        }
        assertThat(policy.due(T0.plusSeconds(5))).isEmpty();
    }

    @Test
    void otherChangesNeverNotify() {
        policy.offer(event(RegistryEvent.Kind.STATUS_CHANGED, "a", 0));
        policy.offer(event(RegistryEvent.Kind.GRACE_STARTED, "a", 0));
        assertThat(policy.due(T0.plusSeconds(5))).isEmpty();
    }

    @Test
    void honoursTheNotificationsSection() {
        NoticePolicy off = new NoticePolicy(new NexusConfig.Notifications(false, true, true));
        off.offer(found("a", 0));
        assertThat(off.due(T0.plusSeconds(5))).isEmpty();

        NoticePolicy onlyRemoved = new NoticePolicy(new NexusConfig.Notifications(true, false, true));
        onlyRemoved.offer(found("a", 0));
        onlyRemoved.offer(removed("b", 0));
        assertThat(onlyRemoved.due(T0.plusSeconds(5))).map(Notice::title).hasValue("1 backend removed");
    }

    @Test
    void aLargeBurstListsFiveNamesAndCountsTheRest() {
        for (int i = 0; i < 8; i++) {
            policy.offer(found("n" + i, 0));
        }
        assertThat(policy.due(T0.plusSeconds(2))).map(Notice::body).hasValue("Found: n0, n1, n2, n3, n4 and 3 more");
    }
}
