package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code backends list --site}: the API's list cut to one site; {@code local} is this monitor's own. */
class BackendSiteFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode list() throws Exception {
        return JSON.readTree("""
                {"backends": [
                  {"id": "a", "name": "mine", "status": "healthy", "source": "mdns", "site": null, "url": "http://127.0.0.1:1"},
                  {"id": "b", "name": "theirs", "status": "healthy", "source": "remote", "site": "lab", "url": "http://127.0.0.1:2"},
                  {"id": "c", "name": "other", "status": "unknown", "source": "remote", "site": "office", "url": "http://127.0.0.1:3"}
                ]}""");
    }

    @Test
    void keepsOnlyTheBackendsOfTheNamedSite() throws Exception {
        JsonNode lab = BackendTable.ofSite(list(), "lab").path("backends");
        assertThat(lab).hasSize(1);
        assertThat(lab.get(0).path("id").asText()).isEqualTo("b");
    }

    @Test
    void localKeepsThisMonitorsOwn() throws Exception {
        JsonNode local = BackendTable.ofSite(list(), "local").path("backends");
        assertThat(local).extracting(n -> n.path("id").asText()).containsExactly("a");
    }

    @Test
    void theTableNamesTheSiteBesideTheSource() throws Exception {
        assertThat(BackendTable.render(list().path("backends"))).contains("remote (lab)", "remote (office)");
    }
}
