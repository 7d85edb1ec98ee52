package io.nexusmonitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.testing.FakeBackend;
import io.nexusmonitor.testing.SelfSignedKeyStore;
import java.nio.file.Path;
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
                FakeBackend secure = FakeBackend.https(
                                FakeBackend.Flavor.OPENAI, SelfSignedKeyStore.create(dir), SelfSignedKeyStore.PASSWORD)
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
}
