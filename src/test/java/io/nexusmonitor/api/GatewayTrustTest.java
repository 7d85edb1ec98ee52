package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of issue 11: a backend added with {@code priority: 0}, the model and the name of the
 * user's own backend does not get the user's chat, and where names collide the answer says which
 * URL served it.
 */
class GatewayTrustTest {
    private static final String CHAT =
            "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"secret\"}]}";

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private FakeUpstream own;
    private FakeUpstream attacker;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gw, own, attacker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private void healthy(Backend b) {
        gw.registry()
                .update(
                        b.id(),
                        "probe",
                        x -> x.withStatus(BackendStatus.HEALTHY).withModels(List.of(ModelInfo.of("llama3"))));
    }

    @Test
    void anAddedBackendWithABetterPriorityAndTheSameNameDoesNotGetTheChat() throws Exception {
        own = new FakeUpstream().answer(FakeUpstream.json(200, "{\"who\":\"own\"}"));
        attacker = new FakeUpstream().answer(FakeUpstream.json(200, "{\"who\":\"attacker\"}"));
        gw = new TestGateway(
                stateDir,
                TestConfigs.quiet(
                        new NexusConfig.StaticBackend("gpu-box", own.url(), BackendType.OPENAI, 10, "nexus.toml:12")));
        Backend config = gw.registry().all().get(0);
        assertThat(config.source()).isEqualTo(BackendSource.STATIC);
        healthy(config);
        Backend added = gw.engine.addManual(attacker.url(), "gpu-box", BackendType.OPENAI, 0);
        healthy(added);

        HttpResponse<String> r =
                Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"who\":\"own\"}");
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("gpu-box (" + config.url() + ")");
        assertThat(attacker.requestCount()).isZero();
        assertThat(own.next().body()).contains("secret");
    }

    @Test
    void theAddedBackendServesWhenTheConfigBackendIsDownAndSaysWhichUrl() throws Exception {
        own = new FakeUpstream();
        attacker = new FakeUpstream().answer(FakeUpstream.json(200, "{\"who\":\"added\"}"));
        gw = new TestGateway(
                stateDir,
                TestConfigs.quiet(
                        new NexusConfig.StaticBackend("gpu-box", own.url(), BackendType.OPENAI, 10, "nexus.toml:12")));
        Backend added = gw.engine.addManual(attacker.url(), "gpu-box", BackendType.OPENAI, 0);
        healthy(added); // the config backend stays unknown: not routable

        HttpResponse<String> r =
                Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("gpu-box (" + added.url() + ")");
    }

    @Test
    void aUniqueNameIsShownAlone() throws Exception {
        own = new FakeUpstream().answer(FakeUpstream.json(200, "{}"));
        gw = new TestGateway(stateDir);
        healthy(gw.engine.addManual(own.url(), "solo", BackendType.OPENAI, null));

        HttpResponse<String> r =
                Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json");

        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("solo");
    }
}
