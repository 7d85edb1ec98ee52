package io.nexusmonitor.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.cli.MdnsNoiseFilter;
import io.nexusmonitor.discovery.logic.DiscoveryConfig;
import io.nexusmonitor.discovery.logic.DiscoveryEvent;
import io.nexusmonitor.discovery.logic.InstanceKey;
import io.nexusmonitor.discovery.logic.InterfaceChoice;
import io.nexusmonitor.discovery.logic.RemovalReason;
import io.nexusmonitor.discovery.logic.SubnetFilter;
import io.nexusmonitor.testing.LogCapture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.jmdns.ServiceInfo;
import javax.jmdns.impl.JmDNSImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults found on the namespace testbed, reproduced with real JmDNS on 127.0.0.1 only. */
class JmdnsFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String OLLAMA = "_ollama._tcp.local.";
    private static final String LABEL = "lo 127.0.0.1";

    private ScheduledExecutorService scheduler;
    private final List<DiscoveryEvent> events = new CopyOnWriteArrayList<>();
    private MdnsDiscovery discovery;
    private LoopbackResponder responder;

    @BeforeEach
    void setUp() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        responder = new LoopbackResponder();
        InterfaceChoice.Nic lo =
                new InterfaceChoice.Nic("lo", true, false, true, List.of(InetAddress.getByName("127.0.0.1")));
        DiscoveryConfig config = new DiscoveryConfig(
                true, List.of(OLLAMA), Duration.ofSeconds(60), List.of("127.0.0.1"), SubnetFilter.any(), false);
        discovery = new MdnsDiscovery(config, events::add, scheduler, () -> List.of(lo));
        discovery.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        discovery.close();
        responder.close();
        scheduler.shutdownNow();
    }

    private List<DiscoveryEvent.Found> founds(String instance) {
        return events.stream()
                .filter(e -> e instanceof DiscoveryEvent.Found f && f.instance().equalsIgnoreCase(instance))
                .map(e -> (DiscoveryEvent.Found) e)
                .toList();
    }

    private boolean removed(String instance, RemovalReason reason) {
        return events.stream()
                .anyMatch(e -> e instanceof DiscoveryEvent.Removed r
                        && r.instance().equalsIgnoreCase(instance)
                        && r.reason() == reason);
    }

    @Test
    void servicesFoundBeforeAJmdnsRecoveryStillGetTheirRemoval() throws Exception {
        ServiceInfo box = responder.announce(OLLAMA, "Recover Box", 11434, Map.of("type", "ollama"));
        String instance = "Recover Box." + OLLAMA;
        String lostInstance = "Lost Box." + OLLAMA;
        // announced once by a raw response and never again: no responder is left to answer the
        // rebuilt browser's queries for it (a responder withdrawing it could still answer one of
        // them mid-goodbye on a loaded machine, and the test would race that)
        MdnsPackets.sendOnLoopback(new MdnsPackets()
                .ptr(OLLAMA, lostInstance)
                .srv(lostInstance, "lost-host.local.", 11435)
                .txt(lostInstance, "type=ollama")
                .a("lost-host.local.", "127.0.0.1")
                .response());
        await().atMost(WAIT)
                .until(() ->
                        !founds(instance).isEmpty() && !founds(lostInstance).isEmpty());
        InterfaceBrowser before = discovery.browser(LABEL);

        // an I/O error on JmDNS's socket (on the testbed: an oversized response): its socket
        // listener fails and JmDNS "recovers", emptying its cache without reporting anything, so
        // those services would never be removed, not even by their goodbyes
        ((JmDNSImpl) before.jmdns()).getSocket().close(); // "Lost Box" goes away while JmDNS is down

        await().atMost(WAIT).until(() -> discovery.browser(LABEL) != null && discovery.browser(LABEL) != before);
        // the rebuilt browser hears "Recover Box" again; "Lost Box", not heard again, expires
        await().atMost(Duration.ofSeconds(40)).until(() -> removed(lostInstance, RemovalReason.EXPIRED));
        assertThat(events)
                .noneMatch(e ->
                        e instanceof DiscoveryEvent.Removed r && r.instance().equals(instance));
        assertThat(discovery.tracks(InstanceKey.of(instance, "_ollama._tcp.local.")))
                .isTrue();

        responder.withdraw(box);
        await().atMost(WAIT).until(() -> removed(instance, RemovalReason.GOODBYE));
        assertThat(discovery.tracks(InstanceKey.of(instance, "_ollama._tcp.local.")))
                .isFalse();
    }

    @Test
    void aServiceReannouncedOnANewPortIsReportedAtTheNewPort() throws Exception {
        String instance = "moving." + OLLAMA;
        MdnsPackets.sendOnLoopback(new MdnsPackets()
                .ptr(OLLAMA, instance)
                .srv(instance, "moving-host.local.", 11434)
                .txt(instance, "type=ollama")
                .a("moving-host.local.", "127.0.0.1")
                .response());
        await().atMost(WAIT).until(() -> founds(instance).stream().anyMatch(f -> f.port() == 11434));

        // without the cache-flush bit the old SRV record stays cached next to the new one
        MdnsPackets.sendOnLoopback(new MdnsPackets()
                .withoutCacheFlush()
                .srv(instance, "moving-host.local.", 11500)
                .response());

        await().atMost(WAIT).until(() -> founds(instance).stream().anyMatch(f -> f.port() == 11500));
        // and the new port stays: the older record does not flip it back
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> founds(instance).get(founds(instance).size() - 1).port() == 11500);
    }

    @Test
    void malformedPacketsAreSummarisedNotLoggedOneByOne() throws Exception {
        MdnsNoiseFilter filter = installedNoiseFilter();
        filter.flush(); // start from an empty interval
        java.util.Random random = new java.util.Random(13);
        int packets = 200;
        try (LogCapture jmdns = LogCapture.of(javax.jmdns.impl.DNSIncoming.class);
                LogCapture summary = LogCapture.of(org.slf4j.LoggerFactory.getLogger(MdnsNoiseFilter.SUMMARY_LOGGER))) {
            for (int n = 0; n < packets; n++) {
                byte[] p = new byte[200];
                random.nextBytes(p);
                // a response header claiming records; what follows is garbage
                byte[] header = {0, 0, (byte) 0x84, 0, 0, 1, 0, 2, 0, 0, 0, 1};
                System.arraycopy(header, 0, p, 0, header.length);
                MdnsPackets.sendOnLoopback(p);
            }
            // JmDNS is still fine: a real service is found after the flood
            responder.announce(OLLAMA, "After Flood", 11434, Map.of("type", "ollama"));
            await().atMost(WAIT).until(() -> !founds("After Flood." + OLLAMA).isEmpty());
            filter.flush();

            assertThat(jmdns.messages()).as("JmDNS's own per-packet warnings").isEmpty();
            assertThat(summary.messages())
                    .isNotEmpty()
                    .hasSizeLessThan(4)
                    .allMatch(m -> m.matches("mDNS: \\d+ warnings? about malformed packets in the last \\d+ s"
                            + " \\(from 127\\.0\\.0\\.1\\); the packets were ignored"));
        }
    }

    private static MdnsNoiseFilter installedNoiseFilter() {
        ch.qos.logback.classic.LoggerContext context =
                (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        return context.getTurboFilterList().stream()
                .filter(f -> f instanceof MdnsNoiseFilter)
                .map(f -> (MdnsNoiseFilter) f)
                .findFirst()
                .orElseThrow(() -> new AssertionError("logback-test.xml installs MdnsNoiseFilter like LogDefaults"));
    }
}
