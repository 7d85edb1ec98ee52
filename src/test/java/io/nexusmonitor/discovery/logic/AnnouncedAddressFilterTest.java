package io.nexusmonitor.discovery.logic;

import static io.nexusmonitor.discovery.logic.BackendMapperTest.found;
import static io.nexusmonitor.discovery.logic.BackendMapperTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.Cidr;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import io.nexusmonitor.registry.RegistryLimits;
import io.nexusmonitor.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11 item 6: an announcement from the LAN must not point the monitor at its own machine,
 * nor at unspecified, multicast or broadcast addresses. Simulated events; the addresses are data
 * only, nothing is sent anywhere.
 */
class AnnouncedAddressFilterTest {
    private static final String OLLAMA = "_ollama._tcp.local.";

    private MutableClock clock;
    private Registry registry;
    private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();
    private LogCapture logs;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-11-24T18:00:00Z"));
        registry = new Registry(clock);
        registry.subscribe(events::add);
        logs = LogCapture.of(DiscoveryEventHandler.class);
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    private DiscoveryEventHandler handler(DiscoveryConfig config) {
        return new DiscoveryEventHandler(
                registry, config.withGracePeriod(Duration.ofSeconds(60)), new ManualDeadlines(clock));
    }

    private List<String> warnings(String instanceLabel) {
        return logs.messages().stream().filter(m -> m.contains(instanceLabel)).toList();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
        "127.0.0.1, loopback",
        "127.8.9.10, loopback",
        "::1, loopback",
        "::ffff:127.0.0.1, loopback",
        "0.0.0.0, unspecified",
        "::, unspecified",
        "0.1.2.3, unspecified",
        "224.0.0.251, multicast",
        "239.255.255.250, multicast",
        "ff02::fb, multicast",
        "255.255.255.255, broadcast"
    })
    void announcementWhoseOnlyAddressIsRefusedIsNotAdded(String address, String why) {
        DiscoveryEventHandler h = handler(DiscoveryConfig.defaults());

        h.handle(found("evil", OLLAMA, 8000, Map.of(), address));

        assertThat(registry.all()).isEmpty();
        assertThat(events).isEmpty();
        assertThat(warnings("evil"))
                .singleElement()
                .asString()
                .contains("ignoring evil._ollama._tcp.local.")
                .contains("(" + why + ")");
    }

    @Test
    void refusedAddressIsDroppedAndAUsableOneIsUsedInstead() {
        DiscoveryEventHandler h = handler(DiscoveryConfig.defaults());

        h.handle(found("gpu", OLLAMA, 11434, Map.of(), "127.0.0.1", "0.0.0.0", "192.168.1.10"));

        Backend b = registry.all().get(0);
        assertThat(b.url()).isEqualTo("http://192.168.1.10:11434");
        assertThat(b.mdns().addresses()).containsExactly("192.168.1.10");
        assertThat(warnings("gpu"))
                .singleElement()
                .asString()
                .contains("not using 127.0.0.1 (loopback), 0.0.0.0 (unspecified)")
                .contains("allow_loopback");
    }

    @Test
    void allowLoopbackLetsLoopbackInButNeverUnspecifiedMulticastOrBroadcast() {
        DiscoveryEventHandler h = handler(DiscoveryConfig.defaults().withAllowLoopback(true));

        h.handle(found("local", OLLAMA, 11434, Map.of(), "127.0.0.1"));
        h.handle(found("any", OLLAMA, 11434, Map.of(), "0.0.0.0"));
        h.handle(found("multi", OLLAMA, 11434, Map.of(), "224.0.0.251"));
        h.handle(found("bcast", OLLAMA, 11434, Map.of(), "255.255.255.255"));
        h.handle(found("v6", OLLAMA, 11434, Map.of(), "::1"));

        assertThat(registry.all())
                .extracting(Backend::url)
                .containsExactlyInAnyOrder("http://127.0.0.1:11434", "http://[::1]:11434");
    }

    @Test
    void subnetBroadcastOfAnAllowedBlockIsRefused() {
        DiscoveryEventHandler h = handler(DiscoveryConfig.defaults()
                .withAllowSubnets(SubnetFilter.of(List.of(Cidr.parse("192.168.1.0/24"), Cidr.parse("10.0.0.0/31")))));

        h.handle(found("bcast", OLLAMA, 11434, Map.of(), "192.168.1.255"));
        h.handle(found("host", OLLAMA, 11434, Map.of(), "192.168.1.254"));

        assertThat(registry.all()).extracting(Backend::url).containsExactly("http://192.168.1.254:11434");
        assertThat(warnings("bcast")).singleElement().asString().contains("192.168.1.255 (broadcast)");
    }

    @Test
    void repeatedAnnouncementsAreLoggedOnce() {
        DiscoveryEventHandler h = handler(DiscoveryConfig.defaults());
        for (int i = 0; i < 50; i++) {
            h.handle(found("evil", OLLAMA, 8000, Map.of(), "127.0.0.1"));
        }
        assertThat(warnings("evil")).hasSize(1);
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void aBackendWhoseAnnouncementMovesToLoopbackLosesIt() {
        DiscoveryEventHandler h = handler(DiscoveryConfig.defaults());
        h.handle(found("gpu", OLLAMA, 11434, Map.of(), "192.168.1.10"));
        Backend before = registry.all().get(0);

        h.handle(found("gpu", OLLAMA, 11434, Map.of(), "127.0.0.1"));

        assertThat(registry.all()).singleElement().satisfies(b -> {
            assertThat(b.url()).isEqualTo(before.url());
            assertThat(b.inGrace()).isTrue(); // withdrawn as if gone; never re-pointed at loopback
        });
        assertThat(registry.findByUrl("http://127.0.0.1:11434")).isEmpty();
    }

    @Test
    void logLinesCarryNoRawControlCharacters() {
        DiscoveryEventHandler h = handler(DiscoveryConfig.defaults());
        String label = "evil\n2026-12-01 INFO forged line\u001b[2J\u202e";

        h.handle(found(label, OLLAMA, 8000, Map.of(), "127.0.0.1"));
        h.handle(found(label + "-ok", OLLAMA, 8000, Map.of("type", "bad\r\ntype"), "192.168.1.10"));

        assertThat(logs.messages())
                .isNotEmpty()
                .allSatisfy(m -> assertThat(
                                m.chars().filter(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x202e))
                        .isEmpty());
        assertThat(logs.messages())
                .anySatisfy(m -> assertThat(m).contains("evil\\n2026-12-01 INFO forged line\\u001b[2J"));
    }

    @Test
    void aFullRegistryIgnoresNewAnnouncementsLoggedOnce() {
        registry = new Registry(clock, new RegistryLimits(2, 2000, 128, 256));
        DiscoveryEventHandler h = handler(DiscoveryConfig.defaults());
        h.handle(found("a", OLLAMA, 11434, Map.of(), "192.168.1.1"));
        h.handle(found("b", OLLAMA, 11434, Map.of(), "192.168.1.2"));
        for (int i = 0; i < 5; i++) {
            h.handle(found("c", OLLAMA, 11434, Map.of(), "192.168.1.3"));
        }

        assertThat(registry.all())
                .extracting(Backend::url)
                .containsExactlyInAnyOrder("http://192.168.1.1:11434", "http://192.168.1.2:11434");
        assertThat(warnings("c._ollama")).singleElement().asString().contains("max_backends");
    }

    @Test
    void anAddressOfThisMachineCountsAsLoopbackAndItsNetworksBroadcastIsRefused() {
        LocalNetwork local = new LocalNetwork() {
            @Override
            public boolean isOwn(java.net.InetAddress a) {
                return a.equals(ip("192.168.7.5"));
            }

            @Override
            public boolean isBroadcast(java.net.InetAddress a) {
                return a.equals(ip("192.168.7.255"));
            }
        };
        DiscoveryEventHandler h = new DiscoveryEventHandler(
                registry,
                DiscoveryConfig.defaults().withGracePeriod(Duration.ofSeconds(60)),
                new ManualDeadlines(clock),
                local);

        h.handle(found("self", OLLAMA, 8000, Map.of(), "192.168.7.5"));
        h.handle(found("bcast", OLLAMA, 8000, Map.of(), "192.168.7.255"));

        assertThat(registry.all()).isEmpty();
        assertThat(warnings("self"))
                .singleElement()
                .asString()
                .contains("192.168.7.5 (an address of this machine)")
                .contains("allow_loopback");
        assertThat(warnings("bcast")).singleElement().asString().contains("(broadcast)");

        DiscoveryEventHandler allowing = new DiscoveryEventHandler(
                registry,
                DiscoveryConfig.defaults().withAllowLoopback(true).withGracePeriod(Duration.ofSeconds(60)),
                new ManualDeadlines(clock),
                local);
        allowing.handle(found("self", OLLAMA, 8000, Map.of(), "192.168.7.5"));
        assertThat(registry.all()).extracting(Backend::url).containsExactly("http://192.168.7.5:8000");
    }

    @Test
    void manyInstanceNamesForOneUrlAreBounded() {
        registry = new Registry(clock, new RegistryLimits(2, 2000, 128, 256));
        DiscoveryEventHandler h = handler(DiscoveryConfig.defaults());
        for (int i = 0; i < 100; i++) {
            h.handle(found("alias-" + i, OLLAMA, 11434, Map.of(), "192.168.1.1"));
        }
        assertThat(registry.all())
                .singleElement()
                .satisfies(b -> assertThat(b.url()).isEqualTo("http://192.168.1.1:11434"));
        assertThat(logs.messages())
                .filteredOn(m -> m.contains("announcements are tracked already"))
                .hasSize(92);
        // a tracked one leaving does not withdraw the backend: seven others still announce it
        h.handle(new DiscoveryEvent.Removed("alias-0." + OLLAMA, OLLAMA, RemovalReason.GOODBYE));
        assertThat(h.isAnnounced(registry.all().get(0).id())).isTrue();
    }

    @Test
    void policyJudgesMappedAndCompatibleIpv6AsTheirIpv4() {
        AddressPolicy p = DiscoveryConfig.defaults().addressPolicy();
        assertThat(p.refusal(ip("::ffff:127.0.0.1"))).contains("loopback");
        assertThat(p.refusal(ip("::ffff:0.0.0.0"))).contains("unspecified");
        assertThat(p.refusal(ip("::ffff:192.168.1.10"))).isEmpty();
        assertThat(p.refusal(ip("fe80::1"))).isEmpty();
        assertThat(p.refusal(ip("169.254.10.20"))).isEmpty();
    }
}
