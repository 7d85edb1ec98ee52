package io.nexusmonitor.discovery.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendMapperTest {
    private static final Instant NOW = Instant.parse("2026-11-24T18:00:00Z");

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static DiscoveryEvent.Found found(String label, String type, int port, Map<String, String> txt, String... addrs) {
        return new DiscoveryEvent.Found(
                label + "." + type,
                type,
                "host.local.",
                java.util.Arrays.stream(addrs).map(BackendMapperTest::ip).toList(),
                port,
                txt);
    }

    private static Backend map(DiscoveryEvent.Found f) {
        return BackendMapper.toBackend(f, NOW).orElseThrow();
    }

    @Test
    void minimalServiceBecomesAnUnknownDiscoveredBackend() {
        Backend b = map(found("gpu-box", "_ollama._tcp.local.", 11434, Map.of(), "192.168.1.10"));
        assertThat(b.url()).isEqualTo("http://192.168.1.10:11434");
        assertThat(b.type()).isEqualTo(BackendType.OLLAMA);
        assertThat(b.status()).isEqualTo(BackendStatus.UNKNOWN);
        assertThat(b.pinned()).isFalse();
        assertThat(b.mdns().instance()).isEqualTo("gpu-box._ollama._tcp.local.");
        assertThat(b.mdns().host()).isEqualTo("host.local.");
        assertThat(b.mdns().firstSeen()).isEqualTo(NOW);
    }

    @Test
    void urlIncludesTheApiPath() {
        assertThat(map(found("v", "_llm._tcp.local.", 8000, Map.of(), "198.18.0.5"))
                        .url())
                .isEqualTo("http://198.18.0.5:8000/v1");
        assertThat(map(found("v", "_llm._tcp.local.", 8000, Map.of("api_path", "/openai/v1/"), "198.18.0.5"))
                        .url())
                .isEqualTo("http://198.18.0.5:8000/openai/v1");
    }

    @Test
    void prefersIpv4WhenBothAreAnnounced() {
        Backend b = map(found("x", "_ollama._tcp.local.", 11434, Map.of(), "2001:db8::10", "192.168.1.10"));
        assertThat(b.url()).isEqualTo("http://192.168.1.10:11434");
        assertThat(b.mdns().addresses()).containsExactly("192.168.1.10", "2001:db8::10");
    }

    @Test
    void ipv6OnlyServiceGetsABracketedUrl() {
        Backend b = map(found("x", "_ollama._tcp.local.", 11434, Map.of(), "2001:0db8:0000:0000:0000:0000:0000:0010"));
        assertThat(b.url()).isEqualTo("http://[2001:db8::10]:11434");
    }

    @Test
    void linkLocalIpv6KeepsItsZone() throws Exception {
        // scope id 7: the zone is the interface index when no interface object is attached
        InetAddress scoped = Inet6Address.getByAddress(null, ip("fe80::1").getAddress(), 7);
        DiscoveryEvent.Found f = new DiscoveryEvent.Found(
                "x._ollama._tcp.local.", "_ollama._tcp.local.", "x.local.", List.of(scoped), 11434, Map.of());
        Backend b = map(f);
        assertThat(b.url()).isEqualTo("http://[fe80::1%7]:11434");
        assertThat(b.mdns().addresses()).containsExactly("fe80::1%7");
    }

    @Test
    void linkLocalIpv6WithoutZoneIsNotUsable() {
        assertThat(BackendMapper.toBackend(found("x", "_ollama._tcp.local.", 11434, Map.of(), "fe80::1"), NOW))
                .isEmpty();
        assertThat(BackendMapper.toBackend(found("x", "_ollama._tcp.local.", 11434, Map.of()), NOW))
                .isEmpty();
    }

    @Test
    void sourceIsMdnsAndTxtIsKept() {
        Backend b = map(found("x", "_llm._tcp.local.", 8080, Map.of("type", "llamacpp", "gpu", "a100"), "10.0.0.7"));
        assertThat(b.source()).isEqualTo(BackendSource.MDNS);
        assertThat(b.type()).isEqualTo(BackendType.LLAMACPP);
        assertThat(b.mdns().txt()).containsEntry("gpu", "a100").containsEntry("type", "llamacpp");
    }

    @Test
    void modelHintsFromTxtAreListedUntilTheFirstCheck() {
        Backend b = map(found("x", "_ollama._tcp.local.", 11434, Map.of("models", "llama3:8b,qwen2:7b"), "10.0.0.7"));
        assertThat(b.models()).extracting(m -> m.id()).containsExactly("llama3:8b", "qwen2:7b");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "gpu-box|gpu-box",
                "GPU\\032Box\\.lab|GPU Box.lab",
                "Küche Ollama|Küche Ollama",
                "K\\195\\188che|Küche",
                "back\\\\slash|back\\slash",
                "日本語サーバー|日本語サーバー"
            })
    void readableNameComesFromTheInstanceLabelWithEscapesDecoded(String label, String expected) {
        Backend b = map(found(label, "_ollama._tcp.local.", 11434, Map.of(), "10.0.0.7"));
        assertThat(b.name()).isEqualTo(expected);
    }
}
