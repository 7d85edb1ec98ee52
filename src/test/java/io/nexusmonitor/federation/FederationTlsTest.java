package io.nexusmonitor.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.ConfigLoader;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.FederationStatus;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.testing.EtcdServer;
import io.nexusmonitor.testing.LogCapture;
import io.nexusmonitor.testing.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [federation]}'s TLS files and etcd user/password against a real etcd 3.4 on 127.0.0.1,
 * with certificates {@code openssl} makes for each test; the config goes through {@link
 * ConfigLoader} as a user writes it, the password through {@code password_env}.
 */
class FederationTlsTest {
    private static final String PASSWORD = "s3cret-Etcd-pw";

    @TempDir
    Path dir;

    EtcdServer etcd;
    TestCertificates ca;
    LogCapture log;
    final List<NexusEngine> engines = new ArrayList<>();

    @BeforeEach
    void capture() throws Exception {
        EtcdServer.assumeInstalled();
        ca = TestCertificates.ca(dir, "main");
        log = LogCapture.everything(); // every line, for "never the password"
    }

    @AfterEach
    void stopAll() throws Exception {
        for (NexusEngine e : engines) {
            e.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (log != null) {
            log.close();
        }
    }

    /** A monitor whose [federation] is this TOML (plus etcd_endpoints and site); the API on when asked. */
    private NexusEngine monitor(String site, String federationToml, Map<String, String> env, boolean api)
            throws Exception {
        String toml = "[federation]\netcd_endpoints = [\"" + etcd.endpoint() + "\"]\nsite = \"" + site + "\"\n"
                + federationToml;
        NexusConfig.Federation fed = ConfigLoader.parse(toml, dir.resolve(site + ".toml"), env::get)
                .config()
                .federation();
        NexusConfig d = NexusConfig.defaults()
                .withServer(NexusConfig.defaults().server().withPort(0));
        NexusConfig.Discovery off = new NexusConfig.Discovery(
                false, d.discovery().serviceTypes(), Duration.ofSeconds(2), List.of(), List.of(), false, true);
        NexusConfig c = d.withDiscovery(off)
                .withHealthCheck(d.healthCheck().withEnabled(false))
                .withFederation(Objects.requireNonNull(fed));
        NexusEngine e = new NexusEngine(c, new EngineOptions(dir.resolve("state-" + site), api));
        e.start();
        engines.add(e);
        return e;
    }

    private static FederationStatus fed(NexusEngine e) {
        return Objects.requireNonNull(e.status().federation());
    }

    private static void connected(NexusEngine e) {
        await("connected").atMost(Duration.ofSeconds(15)).until(() -> "connected".equals(fed(e).state()));
    }

    private static void seeEachOther(NexusEngine a, NexusEngine b) {
        a.addManual("http://127.0.0.1:11101", "gpu-a", BackendType.OLLAMA, null, null);
        b.addManual("http://127.0.0.1:11102", "gpu-b", BackendType.OLLAMA, null, null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.registry().findByUrl("http://127.0.0.1:11101").isPresent()
                        && a.registry().findByUrl("http://127.0.0.1:11102").isPresent());
        assertThat(b.registry()
                        .findByUrl("http://127.0.0.1:11101")
                        .orElseThrow()
                        .source())
                .isEqualTo(BackendSource.REMOTE);
        assertThat(a.registry()
                        .findByUrl("http://127.0.0.1:11102")
                        .orElseThrow()
                        .site())
                .isEqualTo("office");
    }

    /** The federation's warnings so far (the connection ones: "etcd ..."). */
    private List<String> warnings() {
        return log.messages().stream()
                .filter(m -> m.startsWith("federation: etcd"))
                .toList();
    }

    /** Fails the monitor's connection, then checks it warned once, still works locally and /health answers. */
    private String refusedOnceAndLocalGoesOn(NexusEngine e) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> "unreachable".equals(fed(e).state()));
        await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(4))
                .until(() -> warnings().size() == 1);
        e.addManual("http://127.0.0.1:11109", "local", BackendType.OLLAMA, null, null);
        assertThat(e.registry().findByUrl("http://127.0.0.1:11109")).isPresent();
        HttpResponse<String> health =
                io.nexusmonitor.api.Http.get(Objects.requireNonNull(e.status().apiAddress()) + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"unreachable\"");
        return warnings().get(0);
    }

    @Test
    void twoMonitorsOverHttpsWithTheCaFileSeeEachOthersBackends() throws Exception {
        TestCertificates.Pair server = ca.server("server");
        etcd = EtcdServer.start(dir, new EtcdServer.Tls(server.cert(), server.key(), null));
        assertThat(etcd.endpoint()).startsWith("https://127.0.0.1:");
        String tls = "ca_file = \"" + ca.caCert() + "\"\n";
        NexusEngine a = monitor("lab", tls, Map.of(), false);
        NexusEngine b = monitor("office", tls, Map.of(), false);
        connected(a);
        connected(b);
        seeEachOther(a, b);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void withClientCertAuthTheCertAndKeyFilesWorkAndAMonitorWithoutOneWarnsOnceAndWorksLocally() throws Exception {
        TestCertificates.Pair server = ca.server("server");
        etcd = EtcdServer.start(dir, new EtcdServer.Tls(server.cert(), server.key(), ca.caCert()));
        TestCertificates.Pair lab = ca.client("client-lab");
        TestCertificates.Pair office = ca.client("client-office");
        NexusEngine a = monitor(
                "lab",
                "ca_file = \"" + ca.caCert() + "\"\ncert_file = \"" + lab.cert() + "\"\nkey_file = \"" + lab.key()
                        + "\"\n",
                Map.of(),
                false);
        NexusEngine b = monitor(
                "office",
                "ca_file = \"" + ca.caCert() + "\"\ncert_file = \"" + office.cert() + "\"\nkey_file = \"" + office.key()
                        + "\"\n",
                Map.of(),
                false);
        connected(a);
        connected(b);
        seeEachOther(a, b);
        assertThat(warnings()).isEmpty();

        NexusEngine without = monitor("nocert", "ca_file = \"" + ca.caCert() + "\"\n", Map.of(), true);
        String warning = refusedOnceAndLocalGoesOn(without);
        assertThat(warning).contains(etcd.endpoint(), "client certificate", "cert_file and key_file");
        assertThat(fed(without).text()).contains("client certificate");
        assertThat(a.registry().findByUrl("http://127.0.0.1:11109")).isEmpty();
    }

    @Test
    void aUserWithItsPasswordFromTheEnvironmentPublishesAndImportsAndAWrongPasswordWarnsOnceWithoutShowingIt()
            throws Exception {
        etcd = EtcdServer.start(dir);
        etcd.etcdctl(null, "user", "add", "root:" + PASSWORD);
        etcd.etcdctl(null, "role", "add", "root");
        etcd.etcdctl(null, "user", "grant-role", "root", "root");
        etcd.etcdctl(null, "auth", "enable");
        String auth = "username = \"root\"\npassword_env = \"NEXUS_ETCD_PASSWORD\"\n";
        Map<String, String> env = Map.of("NEXUS_ETCD_PASSWORD", PASSWORD);
        NexusEngine a = monitor("lab", auth, env, false);
        NexusEngine b = monitor("office", auth, env, false);
        connected(a);
        connected(b);
        seeEachOther(a, b);
        assertThat(warnings()).isEmpty();

        NexusEngine wrong = monitor("wrong", auth, Map.of("NEXUS_ETCD_PASSWORD", "not-" + PASSWORD), true);
        String warning = refusedOnceAndLocalGoesOn(wrong);
        assertThat(warning).contains("root").containsIgnoringCase("password");
        assertThat(fed(wrong).text()).contains("root");
        assertThat(log.messages()).noneMatch(m -> m.contains(PASSWORD));
        assertThat(fed(wrong).text()).doesNotContain(PASSWORD);
    }

    @Test
    void aCaFileThatDidNotSignTheServerCertificateWarnsOnceThatItIsNotTrustedAndLocalGoesOn() throws Exception {
        TestCertificates.Pair server = ca.server("server");
        etcd = EtcdServer.start(dir, new EtcdServer.Tls(server.cert(), server.key(), null));
        TestCertificates other = TestCertificates.ca(dir, "other");
        NexusEngine e = monitor("lab", "ca_file = \"" + other.caCert() + "\"\n", Map.of(), true);
        String warning = refusedOnceAndLocalGoesOn(e);
        assertThat(warning).contains(etcd.endpoint(), "certificate is not trusted", "ca_file");
        assertThat(fed(e).text()).contains("certificate is not trusted");
    }
}
