package io.nexusmonitor.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageRequestTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model\":\"m\",\"stream\":true} | true",
                "{\"model\":\"m\", \"stream\" : true, \"messages\":[]} | true",
                "{\"model\":\"m\",\"stream\":false} | false",
                "{\"model\":\"m\"} | false",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false}} | false",
                "{\"model\":\"m\",\"messages\":[{\"content\":\"\\\"stream\\\": true\"}]} | false",
                "{\"model\":\"m\",\"extra\":{\"stream\":true}} | false",
                "not json \"stream\" | false",
            })
    void asksOnlyForTopLevelStreamsThatDidNotSay(String body, boolean ask) {
        assertThat(UsageRequest.shouldAsk(body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ask);
    }

    @Test
    void theRewrittenBodyIsValidJsonAskingForUsage() throws Exception {
        byte[] body = "  {\"model\":\"m\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);
        JsonNode json = new ObjectMapper().readTree(UsageRequest.ask(body));
        assertThat(json.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(json.get("model").asText()).isEqualTo("m");
        assertThat(json.get("stream").asBoolean()).isTrue();
    }
}
