package io.nexusmonitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.testing.FakeBackend;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LazyTlsClientConnectorTest {

    @Test
    void tlsIsSetUpByTheFirstHttpsRequestNotByStartingTheClient(@TempDir Path dir) throws Exception {
        // trusts the fake's self-signed certificate; the default factory would refuse it
        SslContextFactory.Client tls = new SslContextFactory.Client(true);
        LazyTlsClientConnector connector = new LazyTlsClientConnector();
        connector.setSslContextFactory(tls);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        try (FakeBackend plain = FakeBackend.openai().models("m");
                FakeBackend secure = FakeBackend.https(FakeBackend.Flavor.OPENAI, selfSignedKeyStore(dir), "secret123")
                        .models("m")) {
            client.start();
            assertThat(tls.isStarted()).as("after client start").isFalse();

            ContentResponse overHttp = client.GET(plain.url() + "/v1/models");
            assertThat(overHttp.getStatus()).isEqualTo(200);
            assertThat(tls.isStarted()).as("after an http:// request").isFalse();

            ContentResponse overHttps = client.GET(secure.url() + "/v1/models");
            assertThat(secure.url()).startsWith("https://");
            assertThat(overHttps.getStatus()).isEqualTo(200);
            assertThat(overHttps.getContentAsString()).contains("\"m\"");
            assertThat(tls.isStarted()).as("after an https:// request").isTrue();
        } finally {
            client.stop();
        }
        assertThat(tls.isStopped()).as("stopped with the client").isTrue();
    }

    /** A throw-away self-signed certificate from the JDK's own keytool. */
    private static Path selfSignedKeyStore(Path dir) throws Exception {
        Path keyStore = dir.resolve("fake.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "fake", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "secret123",
                "-keypass", "secret123").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return keyStore;
    }
}
