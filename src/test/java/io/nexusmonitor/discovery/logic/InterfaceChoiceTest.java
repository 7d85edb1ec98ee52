package io.nexusmonitor.discovery.logic;

import static io.nexusmonitor.discovery.logic.BackendMapperTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.discovery.logic.InterfaceChoice.Nic;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceChoiceTest {
    private static final Nic LO = new Nic("lo", true, false, true, List.of(ip("127.0.0.1"), ip("::1")));
    private static final Nic ETH0 = new Nic("eth0", true, true, false, List.of(ip("fe80::1"), ip("192.168.1.5")));
    private static final Nic WLAN0 = new Nic("wlan0", false, true, false, List.of(ip("10.0.0.7")));
    private static final Nic V6ONLY = new Nic("v6", true, true, false, List.of(ip("2001:db8::5")));
    private static final Nic TUN = new Nic("tun0", true, false, false, List.of(ip("10.8.0.2")));

    private static List<String> labels(List<InterfaceChoice.Target> t) {
        return t.stream().map(InterfaceChoice.Target::label).toList();
    }

    @Test
    void byDefaultEveryUpMulticastNonLoopbackInterfaceOnItsIpv4Addresses() {
        assertThat(labels(InterfaceChoice.choose(List.of(LO, ETH0, WLAN0, V6ONLY, TUN), List.of())))
                .containsExactly("eth0 192.168.1.5", "v6 2001:db8::5");
    }

    @Test
    void namedInterfacesMayBeLoopback() {
        assertThat(labels(InterfaceChoice.choose(List.of(LO, ETH0), List.of("lo"))))
                .containsExactly("lo 127.0.0.1");
    }

    @Test
    void addressesPickThatAddressOnly() {
        assertThat(labels(InterfaceChoice.choose(List.of(LO, ETH0), List.of("127.0.0.1", "192.168.1.5"))))
                .containsExactly("lo 127.0.0.1", "eth0 192.168.1.5");
    }

    @Test
    void wantedInterfaceThatIsDownOrMissingGivesNothingYet() {
        assertThat(InterfaceChoice.choose(List.of(LO, ETH0, WLAN0), List.of("wlan0", "eth9", "10.9.9.9")))
                .isEmpty();
    }
}
