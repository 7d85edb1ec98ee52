package io.nexusmonitor.registry;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class UrlNormalizerPropertiesTest {

    @Provide
    Arbitrary<String> urls() {
        Arbitrary<String> scheme = Arbitraries.of("http", "https", "HTTP", "Https");
        Arbitrary<String> host = Arbitraries.oneOf(
                Arbitraries.strings()
                        .withCharRange('a', 'z')
                        .withChars('-', 'A', 'Z')
                        .ofMinLength(1)
                        .ofMaxLength(12)
                        .filter(s -> !s.startsWith("-") && !s.endsWith("-")),
                Arbitraries.integers()
                        .between(0, 255)
                        .list()
                        .ofSize(4)
                        .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3)),
                Arbitraries.integers()
                        .between(0, 0xffff)
                        .list()
                        .ofSize(8)
                        .map(l -> "["
                                + String.join(
                                        ":",
                                        l.stream().map(Integer::toHexString).toList()) + "]"));
        Arbitrary<String> port = Arbitraries.oneOf(
                Arbitraries.just(""), Arbitraries.integers().between(1, 65535).map(p -> ":" + p));
        Arbitrary<String> path = Arbitraries.of("", "/", "/v1", "/v1/", "//v1", "/api/v1/");
        return Combinators.combine(scheme, host, port, path).as((s, h, p, pa) -> s + "://" + h + p + pa);
    }

    @Property
    void normalisingIsIdempotent(@ForAll("urls") String url) {
        String once = UrlNormalizer.normalize(url);
        assertThat(UrlNormalizer.normalize(once)).isEqualTo(once);
    }

    @Property
    void normalisedUrlsAreLowerCaseWithoutTrailingSlash(@ForAll("urls") String url) {
        String n = UrlNormalizer.normalize(url);
        assertThat(n).startsWith("http").doesNotEndWith("/");
        String authority = n.substring(n.indexOf("://") + 3).split("/")[0];
        assertThat(authority).isEqualTo(authority.toLowerCase(java.util.Locale.ROOT));
        // only the scheme's own default port is dropped: 80 for http, 443 for https (https://a:80 keeps :80)
        String defaultPort = n.startsWith("https://") ? ":443" : ":80";
        assertThat(authority).doesNotEndWith(defaultPort);
        String expectedPort = explicitPort(url);
        if (expectedPort != null && !expectedPort.equals(defaultPort)) {
            assertThat(authority).endsWith(expectedPort);
        }
    }

    /** {@code :8080} for {@code http://h:8080/v1}, null when the URL names no port. */
    private static String explicitPort(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        String authority = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        int colon = authority.lastIndexOf(':');
        return colon > authority.lastIndexOf(']') ? authority.substring(colon) : null;
    }

    @Property
    void caseAndTrailingSlashDoNotChangeIdentity(@ForAll("urls") String url) {
        int hostStart = url.indexOf("://") + 3;
        int pathStart = url.indexOf('/', hostStart);
        int end = pathStart < 0 ? url.length() : pathStart;
        String variant = url.substring(0, hostStart)
                + url.substring(hostStart, end).toUpperCase(java.util.Locale.ROOT) + url.substring(end) + "/";
        assertThat(UrlNormalizer.normalize(variant)).isEqualTo(UrlNormalizer.normalize(url));
    }

    @Property
    void ipv6CompressionRoundTrips(
            @ForAll @IntRange(min = 0, max = 0xffff) int a, @ForAll @IntRange(max = 3) int zeros) {
        byte[] bytes = new byte[16];
        bytes[0] = (byte) (a >> 8);
        bytes[1] = (byte) a;
        bytes[15] = (byte) zeros;
        String text = UrlNormalizer.compress(bytes);
        assertThat(UrlNormalizer.ipv6(text)).isEqualTo(text);
        assertThat(text).doesNotContain(":::");
    }
}
