package io.nexusmonitor.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.app.AnnounceSession;
import io.nexusmonitor.cli.Main;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.discovery.logic.DiscoveryConfig;
import io.nexusmonitor.discovery.logic.DiscoveryEvent;
import io.nexusmonitor.discovery.logic.InterfaceChoice;
import io.nexusmonitor.discovery.logic.SubnetFilter;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.testing.FakeBackend;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** {@code announce}: announced while the server answers, withdrawn with a goodbye when it stops. */
class AnnounceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void announcesWhileTheServerAnswersAndSaysGoodbyeWhenItStops() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        List<DiscoveryEvent> seen = new CopyOnWriteArrayList<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        DiscoveryConfig config = new DiscoveryConfig(
                true,
                List.of("_ollama._tcp.local."),
                Duration.ofSeconds(60),
                List.of("127.0.0.1"),
                SubnetFilter.any(),
                false);
        try (FakeBackend server = FakeBackend.ollama();
                MdnsDiscovery browser = new MdnsDiscovery(
                        config,
                        seen::add,
                        scheduler,
                        () -> List.of(new InterfaceChoice.Nic("lo", true, false, true, List.of(lo))))) {
            browser.start();
            Announcer announcer = Announcer.open(
                    new Announcer.Service(
                            "_ollama._tcp.local.", "Kitchen Box", 11434, Map.of("type", "ollama", "version", "0.5.1")),
                    List.of(new InterfaceChoice.Target("lo", lo)),
                    "announce-test");
            try (AnnounceSession session = new AnnounceSession(
                    announcer, server.url(), BackendType.OLLAMA, null, new NexusConfig.HealthCheck(true, 1, 2, 2, 1))) {
                session.start();
                await().atMost(WAIT)
                        .until(() -> seen.stream()
                                .anyMatch(e -> e instanceof DiscoveryEvent.Found f
                                        && f.instance().equals("Kitchen Box._ollama._tcp.local.")
                                        && "0.5.1".equals(f.txt().get("version"))));
                assertThat(announcer.announced()).isTrue();

                server.fail(500);

                await().atMost(WAIT)
                        .until(() -> seen.stream()
                                .anyMatch(e -> e instanceof DiscoveryEvent.Removed r
                                        && r.instance().equals("Kitchen Box._ollama._tcp.local.")));
                // the browser may see the first goodbye packet before the withdrawal returns
                await().atMost(WAIT).until(() -> !announcer.announced());
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void refusesAnUnknownTypeOrPortWithUsageExitCode() {
        assertThat(Main.run("announce", "--type", "spaceship", "--port", "11434"))
                .isEqualTo(2);
        assertThat(Main.run("announce", "--type", "ollama", "--port", "0")).isEqualTo(2);
        assertThat(Main.run("announce", "--type", "ollama")).isEqualTo(2);
    }
}
