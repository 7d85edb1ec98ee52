package io.nexusmonitor.discovery.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.Cidr;
import io.nexusmonitor.config.NexusConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoveryConfigTest {

    @Test
    void defaultsBrowseOllamaAndLlmWithSixtySecondsGrace() {
        DiscoveryConfig c = DiscoveryConfig.defaults();
        assertThat(c.enabled()).isTrue();
        assertThat(c.serviceTypes()).containsExactly("_ollama._tcp.local.", "_llm._tcp.local.");
        assertThat(c.gracePeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.interfaces()).isEmpty();
        assertThat(c.allowSubnets().allowsAll()).isTrue();
        assertThat(c.requireApproval()).isFalse();
    }

    @Test
    void takesEveryDiscoverySettingFromTheConfig() {
        NexusConfig.Discovery d = new NexusConfig.Discovery(
                false,
                List.of("_vllm._tcp.local."),
                Duration.ofSeconds(5),
                List.of("lo"),
                List.of(Cidr.parse("10.0.0.0/8")),
                true);
        DiscoveryConfig c = DiscoveryConfig.from(d);
        assertThat(c.enabled()).isFalse();
        assertThat(c.serviceTypes()).containsExactly("_vllm._tcp.local.");
        assertThat(c.gracePeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.interfaces()).containsExactly("lo");
        assertThat(c.allowSubnets().allowsAll()).isFalse();
        assertThat(c.requireApproval()).isTrue();
    }

    @Test
    void comesFromTheTomlDiscoveryTable() throws Exception {
        NexusConfig parsed = io.nexusmonitor.config.ConfigLoader.parse("""
                [discovery]
                service_types = ["_ollama._tcp.local", "_exo._tcp.local."]
                grace_period_seconds = 15
                interfaces = ["eth0", "192.168.1.5"]
                allow_subnets = ["192.168.1.0/24"]
                require_approval = true
                """, java.nio.file.Path.of("nexus.toml"))
                .config();
        DiscoveryConfig c = DiscoveryConfig.from(parsed.discovery());
        assertThat(c.serviceTypes()).containsExactly("_ollama._tcp.local.", "_exo._tcp.local.");
        assertThat(c.gracePeriod()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.interfaces()).containsExactly("eth0", "192.168.1.5");
        assertThat(c.allowSubnets().allows(InetAddress.getByName("192.168.1.9")))
                .isTrue();
        assertThat(c.allowSubnets().allows(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(c.requireApproval()).isTrue();
    }

    @Test
    void eventsDescribeThemselvesForTheLog() throws Exception {
        DiscoveryEvent found = new DiscoveryEvent.Found(
                "gpu._ollama._tcp.local.",
                "_ollama._tcp.local.",
                "gpu.local.",
                List.of(InetAddress.getByName("192.168.1.10")),
                11434,
                Map.of("version", "0.5.1"));
        DiscoveryEvent removed =
                new DiscoveryEvent.Removed("gpu._ollama._tcp.local.", "_ollama._tcp.local.", RemovalReason.GOODBYE);
        assertThat(found.toString()).contains("gpu._ollama._tcp.local.", "192.168.1.10", "11434", "version=0.5.1");
        assertThat(removed.toString()).contains("gpu._ollama._tcp.local.", "goodbye");
        assertThat(found)
                .isEqualTo(new DiscoveryEvent.Found(
                        "gpu._ollama._tcp.local.",
                        "_ollama._tcp.local.",
                        "gpu.local.",
                        List.of(InetAddress.getByName("192.168.1.10")),
                        11434,
                        Map.of("version", "0.5.1")));
    }

    @Test
    void subnetFilterAllowsOnlyAddressesInsideItsBlocks() throws Exception {
        SubnetFilter f = SubnetFilter.of(List.of(Cidr.parse("192.168.1.0/24"), Cidr.parse("fd00::/8")));
        assertThat(f.allows(InetAddress.getByName("192.168.1.77"))).isTrue();
        assertThat(f.allows(InetAddress.getByName("192.168.2.1"))).isFalse();
        assertThat(f.allows(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(f.allows(InetAddress.getByName("fe80::1"))).isFalse();
        assertThat(SubnetFilter.of(List.of(Cidr.parse("10.1.2.3/20"))).allows(InetAddress.getByName("10.1.15.255")))
                .isTrue();
    }
}
