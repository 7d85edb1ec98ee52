package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.control.ControlException;
import org.junit.jupiter.api.Test;

class LimitErrorTest {
    @Test
    void aFullRegistryIs429InOpenAisShape() {
        ApiError e = ApiError.from(new ControlException(
                ControlException.Reason.LIMIT_REACHED, "the registry is full: it holds 1000 backends"));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.toJson().toString())
                .isEqualTo("{\"error\":{\"message\":\"the registry is full: it holds 1000 backends\","
                        + "\"type\":\"invalid_request_error\",\"code\":\"too_many_backends\"}}");
    }
}
