package io.nexusmonitor.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://localhost:11434, http://localhost:11434",
        "HTTP://GPU-Box:11434/, http://gpu-box:11434",
        "localhost:11434, http://localhost:11434",
        "http://host:80, http://host",
        "https://host:443/v1/, https://host/v1",
        "https://host:80, https://host:80",
        "http://host//v1//, http://host/v1",
        "http://[FE80:0:0:0:0:0:0:1%eth0]:8080, http://[fe80::1%eth0]:8080",
        "http://[fe80::1%25eth0]:8080, http://[fe80::1%eth0]:8080",
        "http://[2001:db8:0:0:1:0:0:1]/, http://[2001:db8::1:0:0:1]",
        "http://[::1]:11434, http://[::1]:11434",
        "http://192.168.1.10:8000/v1, http://192.168.1.10:8000/v1",
        "'  http://host:1  ', http://host:1",
    })
    void normalises(String raw, String expected) {
        assertThat(UrlNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "'', empty",
        "ftp://host, http://",
        "http://, no host",
        "http://user:pw@host, user name",
        "http://host/?a=1, query",
        "http://host/#frag, query or fragment",
        "http://host:99999, invalid port",
        "'http://bad host', not a valid URL",
    })
    void rejectsWithAReason(String raw, String reason) {
        assertThatThrownBy(() -> UrlNormalizer.normalize(raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
