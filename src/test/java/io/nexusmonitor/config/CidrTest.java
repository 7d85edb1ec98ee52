package io.nexusmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "192.168.1.0/24, 192.168.1.77, true",
        "192.168.1.0/24, 192.168.2.1, false",
        "192.168.1.9/24, 192.168.1.200, true",
        "10.0.0.5, 10.0.0.5, true",
        "10.0.0.5, 10.0.0.6, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "fd00::/8, fd12:3456::1, true",
        "fd00::/8, fe80::1, false",
        "192.168.1.0/24, fd00::1, false",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.1, false",
    })
    void containsAddressesOfItsBlockOnly(String cidr, String address, boolean inside) throws Exception {
        // literals only: getByName does no DNS lookup for them
        assertThat(Cidr.parse(cidr).contains(InetAddress.getByName(address))).isEqualTo(inside);
    }

    @ParameterizedTest
    @CsvSource({"192.168.1.9/24, 192.168.1.0/24", "10.0.0.5, 10.0.0.5/32", "FD00:0:0::1/16, fd00::/16", "::1, ::1/128"})
    void printsTheCanonicalBlock(String cidr, String canonical) {
        assertThat(Cidr.parse(cidr)).hasToString(canonical);
        assertThat(Cidr.parse(canonical)).isEqualTo(Cidr.parse(cidr));
    }
}
