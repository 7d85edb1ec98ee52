package io.nexusmonitor.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.discovery.logic.DiscoveryConfig;
import io.nexusmonitor.discovery.logic.DiscoveryEvent;
import io.nexusmonitor.discovery.logic.InstanceKey;
import io.nexusmonitor.discovery.logic.InterfaceChoice;
import io.nexusmonitor.discovery.logic.RemovalReason;
import io.nexusmonitor.discovery.logic.SubnetFilter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JmDNS adapter on real packets, bound to 127.0.0.1 only. */
class MdnsDiscoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InterfaceChoice.Nic LO = new InterfaceChoice.Nic("lo", true, false, true, List.of(loopback()));

    private ScheduledExecutorService scheduler;
    private final List<DiscoveryEvent> events = new CopyOnWriteArrayList<>();
    private MdnsDiscovery discovery;
    private LoopbackResponder responder;

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        responder = new LoopbackResponder();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (discovery != null) {
            discovery.close();
        }
        responder.close();
        scheduler.shutdownNow();
    }

    private MdnsDiscovery start(List<String> types, Supplier<List<InterfaceChoice.Nic>> nics) {
        return start(types, List.of("127.0.0.1"), nics);
    }

    private MdnsDiscovery start(List<String> types, List<String> interfaces, Supplier<List<InterfaceChoice.Nic>> nics) {
        DiscoveryConfig config =
                new DiscoveryConfig(true, types, Duration.ofSeconds(60), interfaces, SubnetFilter.any(), false);
        discovery = new MdnsDiscovery(config, events::add, scheduler, nics);
        discovery.start();
        return discovery;
    }

    private boolean sawFound(String instance) {
        return events.stream()
                .anyMatch(
                        e -> e instanceof DiscoveryEvent.Found f && f.instance().equals(instance));
    }

    @Test
    void startsBrowsingOnTheChosenAddress() {
        start(List.of("_ollama._tcp.local."), () -> List.of(LO));
        assertThat(discovery.state()).isEqualTo("running");
        assertThat(discovery.interfaces()).containsExactly("lo 127.0.0.1");
    }

    @Test
    void reportsUnavailableWhenNoInterfaceCanBeUsedAndKeepsGoing() {
        start(List.of("_ollama._tcp.local."), List::of);
        assertThat(discovery.state()).startsWith("unavailable: none of the interfaces [127.0.0.1] is up");
        assertThat(discovery.interfaces()).isEmpty();
    }

    @Test
    void browsesEveryConfiguredServiceType() throws Exception {
        start(List.of("_ollama._tcp.local.", "_llm._tcp.local."), () -> List.of(LO));
        responder.announce("_ollama._tcp.local.", "one", 11434, Map.of());
        responder.announce("_llm._tcp.local.", "two", 8000, Map.of("type", "vllm"));
        await().atMost(WAIT).until(() -> sawFound("one._ollama._tcp.local.") && sawFound("two._llm._tcp.local."));
        DiscoveryEvent.Found two = events.stream()
                .filter(e -> e instanceof DiscoveryEvent.Found f && f.instance().startsWith("two"))
                .map(DiscoveryEvent.Found.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(two.port()).isEqualTo(8000);
        assertThat(two.txt()).containsEntry("type", "vllm");
        assertThat(two.addresses()).contains(loopback());
    }

    @Test
    void goodbyeIsReportedAsAGoodbye() throws Exception {
        start(List.of("_ollama._tcp.local."), () -> List.of(LO));
        var info = responder.announce("_ollama._tcp.local.", "bye", 11434, Map.of());
        await().atMost(WAIT).until(() -> sawFound("bye._ollama._tcp.local."));
        responder.withdraw(info);
        await().atMost(WAIT)
                .until(() -> events.contains(new DiscoveryEvent.Removed(
                        "bye._ollama._tcp.local.", "_ollama._tcp.local.", RemovalReason.GOODBYE)));
    }

    @Test
    void interfaceThatComesUpLaterIsBrowsedAndOneThatGoesAwayIsDropped() throws Exception {
        AtomicReference<List<InterfaceChoice.Nic>> nics = new AtomicReference<>(List.of());
        start(List.of("_ollama._tcp.local."), nics::get);
        assertThat(discovery.state()).startsWith("unavailable");
        responder.announce("_ollama._tcp.local.", "later", 11434, Map.of());

        nics.set(List.of(LO));
        await().atMost(WAIT).until(() -> discovery.state().equals("running"));
        await().atMost(WAIT).until(() -> sawFound("later._ollama._tcp.local."));

        nics.set(List.of());
        await().atMost(WAIT)
                .until(() -> events.contains(new DiscoveryEvent.Removed(
                        "later._ollama._tcp.local.", "_ollama._tcp.local.", RemovalReason.EXPIRED)));
        assertThat(discovery.interfaces()).isEmpty();
    }

    @Test
    void closesWithinAFewSeconds() {
        start(List.of("_ollama._tcp.local."), () -> List.of(LO));
        long t0 = System.nanoTime();
        discovery.close();
        discovery = null;
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void pausedDiscoveryTracksAnnouncementsAndActsOnThemWhenResumed() throws Exception {
        start(List.of("_ollama._tcp.local."), () -> List.of(LO));
        discovery.setPaused(true);
        responder.announce("_ollama._tcp.local.", "meanwhile", 11434, Map.of());
        await().atMost(WAIT)
                .until(() -> discovery.tracks(InstanceKey.of("meanwhile._ollama._tcp.local.", "_ollama._tcp.local.")));
        assertThat(sawFound("meanwhile._ollama._tcp.local.")).isFalse();

        discovery.setPaused(false);

        assertThat(sawFound("meanwhile._ollama._tcp.local.")).isTrue();
    }

    @Test
    void testSuiteNeverOpensMdnsBeyondLoopback() throws Exception {
        assertThat(Boolean.getBoolean(MdnsDiscovery.LOOPBACK_ONLY))
                .as("surefire sets " + MdnsDiscovery.LOOPBACK_ONLY)
                .isTrue();
        InterfaceChoice.Nic lan =
                new InterfaceChoice.Nic("eth0", true, true, false, List.of(InetAddress.getByName("198.18.0.99")));
        start(List.of("_ollama._tcp.local."), List.of(), () -> List.of(lan));
        assertThat(discovery.interfaces()).isEmpty();
        assertThat(discovery.state()).startsWith("unavailable");
    }
}
