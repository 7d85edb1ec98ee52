package io.nexusmonitor.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.FederationStatus;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.RegistryEvent;
import io.nexusmonitor.testing.EtcdServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two and three engines in this JVM sharing one real etcd on 127.0.0.1. */
class FederationTest {
    private static final Duration GRACE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    EtcdServer etcd;
    final List<NexusEngine> engines = new ArrayList<>();

    @BeforeEach
    void startEtcd() throws Exception {
        etcd = EtcdServer.start(dir);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (NexusEngine e : engines) {
            e.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private NexusEngine monitor(String site) {
        return monitor(NexusConfig.Federation.of(List.of(etcd.endpoint()), site).withFlags(true, true, true, false));
    }

    private NexusEngine monitor(NexusConfig.Federation fed) {
        return monitor(fed, false);
    }

    private NexusEngine monitor(NexusConfig.Federation fed, boolean api) {
        NexusConfig d = NexusConfig.defaults()
                .withServer(NexusConfig.defaults().server().withPort(0));
        NexusConfig.Discovery off = new NexusConfig.Discovery(
                false, d.discovery().serviceTypes(), GRACE, List.of(), List.of(), false, true);
        NexusConfig c = d.withDiscovery(off)
                .withHealthCheck(d.healthCheck().withEnabled(false))
                .withFederation(fed);
        Path state = dir.resolve("state-" + fed.site() + "-" + engines.size());
        NexusEngine e = new NexusEngine(c, new EngineOptions(state, api));
        e.start();
        engines.add(e);
        await("connected").atMost(Duration.ofSeconds(10)).until(() -> "connected".equals(fed(e).state()));
        return e;
    }

    private static FederationStatus fed(NexusEngine e) {
        return Objects.requireNonNull(e.status().federation());
    }

    private static Optional<Backend> at(NexusEngine e, String url) {
        return e.registry().findByUrl(url);
    }

    @Test
    void eachMonitorSeesTheOthersBackendsWithTheirSite() {
        NexusEngine a = monitor("lab");
        NexusEngine b = monitor("office");
        a.addManual("http://127.0.0.1:11001", "gpu-a", BackendType.OLLAMA, null, null);
        b.addManual("http://127.0.0.1:11002", "gpu-b", BackendType.VLLM, null, null);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> at(b, "http://127.0.0.1:11001").isPresent()
                        && at(a, "http://127.0.0.1:11002").isPresent());
        Backend seenByB = at(b, "http://127.0.0.1:11001").orElseThrow();
        assertThat(seenByB.source()).isEqualTo(BackendSource.REMOTE);
        assertThat(seenByB.site()).isEqualTo("lab");
        assertThat(seenByB.name()).isEqualTo("gpu-a");
        assertThat(seenByB.type()).isEqualTo(BackendType.OLLAMA);
        // the same URL gives the same id everywhere
        assertThat(seenByB.id())
                .isEqualTo(at(a, "http://127.0.0.1:11001").orElseThrow().id());
        assertThat(at(a, "http://127.0.0.1:11002").orElseThrow().site()).isEqualTo("office");
        // a monitor never imports its own, nor re-publishes what it imported
        assertThat(a.registry().size()).isEqualTo(2);
        assertThat(b.registry().size()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> fed(a).text().equals("connected to 1 etcd endpoint, 1 other site, 1 remote backend"));
        assertThat(fed(a).published()).isEqualTo(1);
    }

    @Test
    void aRemovedBackendCountsDownElsewhereAndReturningKeepsItsId() {
        NexusEngine a = monitor("lab");
        NexusEngine b = monitor("office");
        Backend mine = a.addManual("http://127.0.0.1:11003", "gpu-a", BackendType.OLLAMA, null, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> at(b, mine.url()).isPresent());
        List<RegistryEvent> seen = new CopyOnWriteArrayList<>();
        b.registry().subscribe(seen::add);

        a.remove(mine.id());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> at(b, mine.url()).map(Backend::inGrace).orElse(false));
        a.addManual(mine.url(), "gpu-a", BackendType.OLLAMA, null, null);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> at(b, mine.url()).map(x -> !x.inGrace()).orElse(false));
        assertThat(at(b, mine.url()).orElseThrow().id()).isEqualTo(mine.id());
        assertThat(seen)
                .extracting(RegistryEvent::kind)
                .contains(RegistryEvent.Kind.GRACE_STARTED, RegistryEvent.Kind.GRACE_CANCELLED);

        a.remove(mine.id());
        await().atMost(GRACE.plusSeconds(5)).until(() -> at(b, mine.url()).isEmpty());
        assertThat(seen).extracting(RegistryEvent::kind).contains(RegistryEvent.Kind.BACKEND_REMOVED);
    }

    @Test
    void theSameUrlSeenLocallyAndRemotelyIsOneLocalBackend() {
        NexusEngine a = monitor("lab");
        NexusEngine b = monitor("office");
        a.addManual("http://127.0.0.1:11004", "shared", BackendType.OLLAMA, null, null);
        b.addManual("http://127.0.0.1:11004", "shared-here", BackendType.OLLAMA, null, null);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> "office"
                        .equals(at(a, "http://127.0.0.1:11004")
                                .map(Backend::site)
                                .orElse(null)));
        Backend onA = at(a, "http://127.0.0.1:11004").orElseThrow();
        assertThat(onA.source()).isEqualTo(BackendSource.MANUAL);
        assertThat(onA.name()).isEqualTo("shared");
        assertThat(a.registry().size()).isEqualTo(1);
    }

    @Test
    void etcdStoppedChangesNothingLocalAndRestartingConvergesWithNothingLostOrDoubled() throws Exception {
        NexusEngine a = monitor("lab");
        NexusEngine b = monitor("office");
        Backend kept = a.addManual("http://127.0.0.1:11005", "kept", BackendType.OLLAMA, null, null);
        Backend leaving = a.addManual("http://127.0.0.1:11006", "leaving", BackendType.OLLAMA, null, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.registry().size() == 2);

        etcd.stop();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "unreachable".equals(fed(a).state()) && "unreachable".equals(fed(b).state()));
        // local work goes on; remote backends keep their last state for now
        Backend added = a.addManual("http://127.0.0.1:11007", "added-while-down", BackendType.OLLAMA, null, null);
        a.remove(leaving.id());
        assertThat(a.registry().size()).isEqualTo(2);
        assertThat(at(b, kept.url())).isPresent();
        assertThat(at(b, leaving.url()).map(Backend::inGrace)).contains(false);

        etcd.startProcess();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> "connected".equals(fed(a).state()) && "connected".equals(fed(b).state()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> at(b, added.url()).isPresent()
                        && at(b, leaving.url()).map(Backend::inGrace).orElse(true));
        assertThat(at(b, kept.url()).map(Backend::inGrace)).contains(false);
        await().atMost(GRACE.plusSeconds(8)).until(() -> at(b, leaving.url()).isEmpty());
        assertThat(b.registry().all()).extracting(Backend::url).containsExactlyInAnyOrder(kept.url(), added.url());
        assertThat(fed(b).remoteBackends()).isEqualTo(2);
    }

    @Test
    void aLongOutageLetsRemoteBackendsGoAfterTheirGracePeriod() throws Exception {
        NexusEngine a = monitor("lab");
        NexusEngine b = monitor("office");
        Backend x = a.addManual("http://127.0.0.1:11008", "x", BackendType.OLLAMA, null, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> at(b, x.url()).isPresent());

        etcd.stop();
        await().atMost(GRACE.plusSeconds(10))
                .until(() -> at(b, x.url()).map(Backend::inGrace).orElse(false));
        assertThat(at(a, x.url()).map(Backend::inGrace)).contains(false); // the local one stays

        etcd.startProcess(); // back before the second grace period ends: found again, same id
        await().atMost(Duration.ofSeconds(15))
                .until(() -> at(b, x.url()).map(y -> !y.inGrace()).orElse(false));
        assertThat(at(b, x.url()).orElseThrow().id()).isEqualTo(x.id());
    }

    @Test
    void aSecondMonitorClaimingTheSameSitePublishesNothingUntilTheFirstStops() {
        NexusEngine first = monitor("lab");
        NexusEngine second = monitor("lab");
        NexusEngine other = monitor("office");
        first.addManual("http://127.0.0.1:11009", "first", BackendType.OLLAMA, null, null);
        second.addManual("http://127.0.0.1:11010", "second", BackendType.OLLAMA, null, null);

        await().atMost(Duration.ofSeconds(5)).until(() -> fed(second).conflict() != null);
        assertThat(fed(second).text()).contains("another monitor publishes as site lab");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> at(other, "http://127.0.0.1:11009").isPresent());
        assertThat(at(other, "http://127.0.0.1:11010")).isEmpty();
        assertThat(fed(second).published()).isZero();

        first.close();
        engines.remove(first);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> at(other, "http://127.0.0.1:11010").isPresent());
        assertThat(fed(second).conflict()).isNull();
    }

    @Test
    void aPublisherKilledWithSigkillLosesItsBackendsEverywhereAfterItsLeaseAndTheGracePeriod() throws Exception {
        NexusEngine b = monitor("office");
        Path conf = dir.resolve("child.toml");
        java.nio.file.Files.writeString(
                conf,
                "[federation]\netcd_endpoints = [\"" + etcd.endpoint() + "\"]\nsite = \"child\"\n"
                        + "[[backends]]\nname = \"child-box\"\nurl = \"http://127.0.0.1:11020\"\n");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dnexus.mdns.loopback-only=true",
                        "io.nexusmonitor.cli.Main",
                        "--no-gui",
                        "--no-discovery",
                        "--no-health-check",
                        "--no-api",
                        "--state-dir",
                        dir.resolve("child-state").toString(),
                        "-c",
                        conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        try {
            await("the child's backend arrives")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> at(b, "http://127.0.0.1:11020").isPresent());
            assertThat(at(b, "http://127.0.0.1:11020").orElseThrow().site()).isEqualTo("child");

            child.destroyForcibly(); // SIGKILL: no goodbye, no lease revoked
            child.waitFor();
            // the lease runs out (5 s), the key goes, the grace period counts down, then it leaves
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> at(b, "http://127.0.0.1:11020")
                            .map(Backend::inGrace)
                            .orElse(false));
            await().atMost(GRACE.plusSeconds(5))
                    .until(() -> at(b, "http://127.0.0.1:11020").isEmpty());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void healthMetricsAndTheBackendListShowTheFederation() throws Exception {
        NexusEngine a = monitor("lab");
        NexusEngine b = monitor(
                NexusConfig.Federation.of(List.of(etcd.endpoint()), "office").withFlags(true, true, true, false), true);
        a.addManual("http://127.0.0.1:11014", "x", BackendType.OLLAMA, null, null);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> at(b, "http://127.0.0.1:11014").isPresent());
        String base = Objects.requireNonNull(b.status().apiAddress());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        var health = json.readTree(
                        io.nexusmonitor.api.Http.get(base + "/health").body())
                .path("federation");
        assertThat(health.path("state").asText()).isEqualTo("connected");
        assertThat(health.path("text").asText())
                .isEqualTo("connected to 1 etcd endpoint, 1 other site, 1 remote backend");
        assertThat(health.path("site").asText()).isEqualTo("office");

        var list = json.readTree(
                        io.nexusmonitor.api.Http.get(base + "/api/backends").body())
                .path("backends");
        assertThat(list.get(0).path("source").asText()).isEqualTo("remote");
        assertThat(list.get(0).path("site").asText()).isEqualTo("lab");

        String metrics = io.nexusmonitor.api.Http.get(base + "/metrics").body();
        assertThat(metrics).contains("nexus_federation_connected 1.0", "nexus_federation_remote_backends 1.0");
        assertThat(metrics).containsPattern("nexus_federation_events_total [1-9]");
    }

    @Test
    void routeRemoteOffListsRemoteBackendsWithoutRoutingToThem() {
        NexusEngine a = monitor("lab");
        NexusEngine b = monitor(
                NexusConfig.Federation.of(List.of(etcd.endpoint()), "office").withFlags(true, true, false, false));
        a.addManual("http://127.0.0.1:11011", "x", BackendType.OLLAMA, null, null);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> at(b, "http://127.0.0.1:11011").isPresent());
        assertThat(at(b, "http://127.0.0.1:11011").orElseThrow().approved()).isFalse();
    }

    @Test
    void withoutImportNothingArrivesAndWithoutPublishNothingLeaves() {
        NexusEngine quiet = monitor(
                NexusConfig.Federation.of(List.of(etcd.endpoint()), "quiet").withFlags(false, false, true, false));
        NexusEngine b = monitor("office");
        quiet.addManual("http://127.0.0.1:11012", "x", BackendType.OLLAMA, null, null);
        b.addManual("http://127.0.0.1:11013", "y", BackendType.OLLAMA, null, null);
        await().atMost(Duration.ofSeconds(3)).until(() -> fed(b).published() == 1);
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> b.registry().size() == 1 && quiet.registry().size() == 1);
    }
}
