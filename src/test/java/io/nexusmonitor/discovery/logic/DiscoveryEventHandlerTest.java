package io.nexusmonitor.discovery.logic;

import static io.nexusmonitor.discovery.logic.BackendMapperTest.found;
import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.Cidr;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules of the README's 'Discovery', driven by simulated discovery events and a clock the test moves. */
class DiscoveryEventHandlerTest {
    private static final String OLLAMA = "_ollama._tcp.local.";
    private static final Duration GRACE = Duration.ofSeconds(60);

    private MutableClock clock;
    private ManualDeadlines deadlines;
    private Registry registry;
    private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();
    private DiscoveryEventHandler handler;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-11-24T18:00:00Z"));
        deadlines = new ManualDeadlines(clock);
        registry = new Registry(clock);
        registry.subscribe(events::add);
        handler = handlerWith(DiscoveryConfig.defaults());
    }

    private DiscoveryEventHandler handlerWith(DiscoveryConfig config) {
        return new DiscoveryEventHandler(registry, config.withGracePeriod(GRACE), deadlines);
    }

    private static DiscoveryEvent.Found gpuBox() {
        return found("gpu-box", OLLAMA, 11434, Map.of("version", "0.5.1"), "192.168.1.10");
    }

    private static DiscoveryEvent.Removed goodbye(String label) {
        return new DiscoveryEvent.Removed(label + "." + OLLAMA, OLLAMA, RemovalReason.GOODBYE);
    }

    private Backend only() {
        assertThat(registry.all()).hasSize(1);
        return registry.all().get(0);
    }

    @Test
    void foundServiceIsAddedWithStatusUnknown() {
        handler.handle(gpuBox());
        Backend b = only();
        assertThat(b.url()).isEqualTo("http://192.168.1.10:11434");
        assertThat(b.status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(b.source()).isEqualTo(BackendSource.MDNS);
        assertThat(b.approved()).isTrue();
        assertThat(b.history()).last().extracting(h -> h.cause()).isEqualTo("found");
    }

    @Test
    void foundServiceAtAStaticBackendsUrlIsAttachedNotDuplicated() {
        Backend stat = registry.add(
                Backend.create(
                        "",
                        "my-ollama",
                        "http://192.168.1.10:11434",
                        BackendType.OLLAMA,
                        BackendSource.STATIC,
                        1,
                        clock.instant()),
                "configured");
        handler.handle(gpuBox());
        Backend b = only();
        assertThat(b.id()).isEqualTo(stat.id());
        assertThat(b.source()).isEqualTo(BackendSource.STATIC);
        assertThat(b.name()).isEqualTo("my-ollama");
        assertThat(b.priority()).isEqualTo(1);
        assertThat(b.mdns().instance()).isEqualTo("gpu-box._ollama._tcp.local.");
        assertThat(b.mdns().txt()).containsEntry("version", "0.5.1");
    }

    @Test
    void foundServiceAtAManualBackendsUrlIsAttachedAndTheManualBackendStaysThroughItsGoodbye() {
        Backend manual = registry.add(
                Backend.create(
                        "",
                        "desk-box",
                        "http://192.168.1.10:11434",
                        BackendType.OLLAMA,
                        BackendSource.MANUAL,
                        20,
                        clock.instant()),
                "added by user");
        handler.handle(gpuBox());
        Backend b = only();
        assertThat(b.id()).isEqualTo(manual.id());
        assertThat(b.source()).isEqualTo(BackendSource.MANUAL);
        assertThat(b.name()).isEqualTo("desk-box");
        assertThat(b.priority()).isEqualTo(20);
        assertThat(b.mdns().instance()).isEqualTo("gpu-box._ollama._tcp.local.");

        handler.handle(goodbye("gpu-box"));
        deadlines.advance(GRACE.plusSeconds(1));
        assertThat(only().id())
                .as("a manual backend is the user's: discovery never removes it")
                .isEqualTo(manual.id());
        assertThat(only().source()).isEqualTo(BackendSource.MANUAL);
    }

    @Test
    void staticBackendStaysWhenItsAnnouncementLeaves() {
        registry.add(
                Backend.create(
                        "",
                        "my-ollama",
                        "http://192.168.1.10:11434",
                        BackendType.OLLAMA,
                        BackendSource.STATIC,
                        1,
                        clock.instant()),
                "configured");
        handler.handle(gpuBox());
        handler.handle(goodbye("gpu-box"));
        deadlines.advance(GRACE.plusSeconds(1));
        assertThat(only().source()).isEqualTo(BackendSource.STATIC);
        assertThat(only().inGrace()).isFalse();
    }

    @Test
    void foundServiceAnnouncesItselfSoTheHealthCheckerProbesItAtOnce() {
        handler.handle(gpuBox());
        // the health checker probes on backend_added and grace_cancelled
        assertThat(events).extracting(RegistryEvent::kind).containsExactly(RegistryEvent.Kind.BACKEND_ADDED);
    }

    @Test
    void removedServiceGoesUnknown() {
        handler.handle(gpuBox());
        registry.update(only().id(), "HTTP 200", b -> b.withStatus(BackendStatus.HEALTHY));
        handler.handle(goodbye("gpu-box"));
        assertThat(only().status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(only().history()).last().extracting(h -> h.cause()).isEqualTo("goodbye");
    }

    @Test
    void removedServiceStartsAGracePeriodShownOnTheBackend() {
        handler.handle(gpuBox());
        events.clear();
        handler.handle(goodbye("gpu-box"));
        assertThat(only().graceDeadline()).isEqualTo(clock.instant().plus(GRACE));
        assertThat(events).extracting(RegistryEvent::kind).contains(RegistryEvent.Kind.GRACE_STARTED);
        assertThat(deadlines.pending()).isEqualTo(1);
    }

    @Test
    void reappearingServiceCancelsRemovalAndKeepsItsId() {
        handler.handle(gpuBox());
        String id = only().id();
        handler.handle(goodbye("gpu-box"));
        deadlines.advance(Duration.ofSeconds(30));
        handler.handle(gpuBox());
        assertThat(only().inGrace()).isFalse();
        assertThat(only().id()).isEqualTo(id);
        assertThat(only().history()).last().extracting(h -> h.cause()).isEqualTo("found again");
        deadlines.advance(Duration.ofSeconds(60));
        assertThat(registry.get(id)).isPresent();
        assertThat(events).extracting(RegistryEvent::kind).containsOnlyOnce(RegistryEvent.Kind.GRACE_CANCELLED);
    }

    @Test
    void graceExpiryRemovesTheBackendAtTheDeadline() {
        handler.handle(gpuBox());
        String id = only().id();
        handler.handle(goodbye("gpu-box"));
        deadlines.advance(GRACE.minusMillis(1));
        assertThat(registry.get(id)).isPresent();
        deadlines.advance(Duration.ofMillis(1));
        assertThat(registry.get(id)).isEmpty();
        assertThat(events).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(RegistryEvent.Kind.BACKEND_REMOVED);
            assertThat(e.cause()).isEqualTo("grace period over");
            assertThat(e.at()).isEqualTo(Instant.parse("2026-11-24T18:01:00Z"));
        });
    }

    @Test
    void graceExpiryRemovesOnlyTheBackendThatRanOut() {
        handler.handle(gpuBox());
        handler.handle(found("other", OLLAMA, 11434, Map.of(), "192.168.1.11"));
        handler.handle(goodbye("gpu-box"));
        deadlines.advance(Duration.ofSeconds(30));
        handler.handle(goodbye("other"));
        deadlines.advance(Duration.ofSeconds(30));
        assertThat(registry.all()).extracting(Backend::name).containsExactly("other");
        deadlines.advance(Duration.ofSeconds(30));
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void repeatedRemovalsDoNotMoveTheDeadline() {
        handler.handle(gpuBox());
        handler.handle(goodbye("gpu-box"));
        Instant deadline = only().graceDeadline();
        deadlines.advance(Duration.ofSeconds(5));
        handler.handle(new DiscoveryEvent.Removed("gpu-box." + OLLAMA, OLLAMA, RemovalReason.EXPIRED));
        assertThat(only().graceDeadline()).isEqualTo(deadline);
        assertThat(deadlines.pending()).isEqualTo(1);
    }

    @Test
    void repeatedAnnouncementsAreIdempotent() {
        handler.handle(gpuBox());
        int before = events.size();
        handler.handle(gpuBox());
        assertThat(events).hasSize(before);
        deadlines.advance(Duration.ofSeconds(1));
        handler.handle(gpuBox());
        assertThat(registry.all()).hasSize(1);
        assertThat(events.subList(before, events.size()))
                .extracting(RegistryEvent::kind)
                .containsExactly(RegistryEvent.Kind.BACKEND_UPDATED);
        assertThat(only().mdns().lastSeen()).isEqualTo(clock.instant());
    }

    @Test
    void pinnedBackendIsNeverRemoved() {
        handler.handle(gpuBox());
        String id = only().id();
        handler.pin(id);
        handler.handle(goodbye("gpu-box"));
        deadlines.advance(GRACE.multipliedBy(3));
        assertThat(only().pinned()).isTrue();
        assertThat(only().status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(only().inGrace()).isFalse();
    }

    @Test
    void pinningDuringGraceCallsOffTheRemoval() {
        handler.handle(gpuBox());
        handler.handle(goodbye("gpu-box"));
        handler.pin(only().id());
        assertThat(only().inGrace()).isFalse();
        deadlines.advance(GRACE.multipliedBy(2));
        assertThat(registry.all()).hasSize(1);
    }

    @Test
    void unpinningABackendNoLongerAnnouncedStartsItsGracePeriod() {
        handler.handle(gpuBox());
        String id = only().id();
        handler.pin(id);
        handler.handle(goodbye("gpu-box"));
        handler.unpin(id);
        assertThat(only().graceDeadline()).isEqualTo(clock.instant().plus(GRACE));
        deadlines.advance(GRACE);
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void unpinningAnAnnouncedBackendKeepsIt() {
        handler.handle(gpuBox());
        handler.pin(only().id());
        handler.unpin(only().id());
        assertThat(only().pinned()).isFalse();
        assertThat(only().inGrace()).isFalse();
    }

    @Test
    void announcementsOutsideAllowSubnetsAreIgnored() {
        handler = handlerWith(
                DiscoveryConfig.defaults().withAllowSubnets(SubnetFilter.of(List.of(Cidr.parse("198.18.0.0/24")))));
        handler.handle(gpuBox());
        handler.handle(gpuBox());
        assertThat(registry.all()).isEmpty();
        handler.handle(found("inside", OLLAMA, 11434, Map.of(), "192.168.1.12", "198.18.0.3"));
        assertThat(only().url()).isEqualTo("http://198.18.0.3:11434");
    }

    @Test
    void requireApprovalListsTheBackendUnapprovedUntilPinned() {
        handler = handlerWith(DiscoveryConfig.defaults().withRequireApproval(true));
        handler.handle(gpuBox());
        assertThat(only().approved()).isFalse();
        assertThat(only().routable()).isFalse();
        handler.pin(only().id());
        assertThat(only().approved()).isTrue();
    }

    @Test
    void serviceThatMovesToAnotherAddressMovesInPlaceKeepingItsId() {
        handler.handle(gpuBox());
        String id = only().id();
        events.clear();
        handler.handle(found("gpu-box", OLLAMA, 11434, Map.of(), "192.168.1.99"));
        Backend b = only();
        assertThat(b.id()).isEqualTo(id);
        assertThat(b.url()).isEqualTo("http://192.168.1.99:11434");
        assertThat(b.inGrace()).isFalse();
        assertThat(b.status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(b.history()).extracting(h -> h.cause()).contains("moved to http://192.168.1.99:11434");
        assertThat(events)
                .extracting(RegistryEvent::kind)
                .doesNotContain(
                        RegistryEvent.Kind.BACKEND_ADDED,
                        RegistryEvent.Kind.BACKEND_REMOVED,
                        RegistryEvent.Kind.GRACE_STARTED);
        assertThat(registry.findByUrl("http://192.168.1.10:11434")).isEmpty();
        deadlines.advance(GRACE.multipliedBy(2));
        assertThat(only().url()).isEqualTo("http://192.168.1.99:11434");
        handler.handle(goodbye("gpu-box"));
        assertThat(only().inGrace()).isTrue();
    }

    @Test
    void serviceReannouncedOnAnotherPortMovesInPlaceKeepingItsId() {
        handler.handle(gpuBox());
        String id = only().id();
        handler.handle(found("gpu-box", OLLAMA, 11500, Map.of(), "192.168.1.10"));
        assertThat(only().id()).isEqualTo(id);
        assertThat(only().url()).isEqualTo("http://192.168.1.10:11500");
        assertThat(only().inGrace()).isFalse();
    }

    @Test
    void linkLocalIpv6BeforeIpv4IsOneRowWhoseUrlImprovesInPlace() throws Exception {
        java.net.InetAddress v6 = java.net.Inet6Address.getByAddress(
                null, java.net.InetAddress.getByName("fe80::1").getAddress(), 7);
        java.net.InetAddress v4 = java.net.InetAddress.getByName("192.168.1.10");
        DiscoveryEvent.Found v6Only =
                new DiscoveryEvent.Found("gpu-box." + OLLAMA, OLLAMA, "gpu-box.local.", List.of(v6), 11434, Map.of());
        DiscoveryEvent.Found both = new DiscoveryEvent.Found(
                "gpu-box." + OLLAMA, OLLAMA, "gpu-box.local.", List.of(v6, v4), 11434, Map.of());
        handler.handle(v6Only);
        String id = only().id();
        assertThat(only().url()).isEqualTo("http://[fe80::1%7]:11434");
        handler.handle(both);
        assertThat(only().id()).isEqualTo(id);
        assertThat(only().url()).isEqualTo("http://192.168.1.10:11434");
        assertThat(only().mdns().addresses()).containsExactly("192.168.1.10", "fe80::1%7");
        deadlines.advance(GRACE.multipliedBy(2));
        assertThat(only().id()).isEqualTo(id);
    }

    @Test
    void serviceThatMovesOntoAStaticBackendsUrlLeavesItsOldBackendInGrace() {
        handler.handle(gpuBox());
        String oldId = only().id();
        Backend stat = registry.add(
                Backend.create(
                        "",
                        "my-ollama",
                        "http://192.168.1.99:11434",
                        BackendType.OLLAMA,
                        BackendSource.STATIC,
                        1,
                        clock.instant()),
                "configured");
        handler.handle(found("gpu-box", OLLAMA, 11434, Map.of(), "192.168.1.99"));
        assertThat(registry.get(oldId).orElseThrow().inGrace()).isTrue();
        assertThat(registry.get(oldId).orElseThrow().history())
                .last()
                .extracting(h -> h.cause())
                .isEqualTo("moved to http://192.168.1.99:11434");
        assertThat(registry.get(stat.id()).orElseThrow().mdns().instance()).isEqualTo("gpu-box._ollama._tcp.local.");
        deadlines.advance(GRACE);
        assertThat(registry.all()).extracting(Backend::url).containsExactly("http://192.168.1.99:11434");
    }

    @Test
    void backendAnnouncedUnderTwoInstancesStaysWhileOneIsLeft() {
        handler.handle(gpuBox());
        handler.handle(found("gpu-box-llm", "_llm._tcp.local.", 11434, Map.of("type", "ollama"), "192.168.1.10"));
        handler.handle(goodbye("gpu-box"));
        assertThat(only().inGrace()).isFalse();
        assertThat(only().mdns().instance()).isEqualTo("gpu-box-llm._llm._tcp.local.");
    }

    @Test
    void removalOfAnUnknownServiceIsIgnored() {
        handler.handle(goodbye("never-seen"));
        assertThat(registry.all()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void userRemovalCallsOffThePendingRemoval() {
        handler.handle(gpuBox());
        handler.handle(goodbye("gpu-box"));
        registry.remove(only().id(), "removed by user");
        assertThat(deadlines.pending()).isZero();
        List<RegistryEvent> after = new ArrayList<>(events);
        deadlines.advance(GRACE);
        assertThat(events).isEqualTo(after);
    }
}
