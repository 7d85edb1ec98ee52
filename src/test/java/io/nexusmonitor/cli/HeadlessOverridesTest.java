package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.api.Http;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's overrides on the real program in a child JVM: what it logs, serves and exits with. */
class HeadlessOverridesTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("HTTP API listening on (http://[^ ]+)");

    @TempDir
    Path dir;

    private String[] args(String... extra) {
        String[] base = {"--no-gui", "--state-dir", dir.resolve("state").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void portZeroIsLoggedWithTheRealPortAndSigintStopsWithExitZero() throws Exception {
        try (ChildNexus child = ChildNexus.start(
                dir, args("--port", "0", "--host", "127.0.0.2", "--no-discovery", "--no-health-check"))) {
            assertThat(child.awaitLine(l -> l.contains("started with"), START))
                    .as("%s", child.lines())
                    .isTrue();
            String address = child.lines().stream()
                    .map(LISTENING::matcher)
                    .filter(Matcher::find)
                    .map(m -> m.group(1))
                    .findFirst()
                    .orElseThrow();
            assertThat(address).startsWith("http://127.0.0.2:").doesNotEndWith(":0");
            assertThat(Http.get(address + "/health").statusCode()).isEqualTo(200);
            assertThat(child.lines())
                    .noneMatch(l -> l.contains("health checks every"))
                    .noneMatch(l -> l.contains("mDNS") && l.contains("browsing"));

            child.signal("INT");
            assertThat(child.exitWithin(Duration.ofSeconds(15)))
                    .as("%s", child.lines())
                    .isZero();
            assertThat(child.lines()).anyMatch(l -> l.contains("SIGINT")).anyMatch(l -> l.contains("stopped"));
        }
    }

    @Test
    void noApiServesNothing() throws Exception {
        try (ChildNexus child = ChildNexus.start(dir, args("--no-api", "--no-discovery", "--no-health-check"))) {
            assertThat(child.awaitLine(l -> l.contains("started with"), START))
                    .as("%s", child.lines())
                    .isTrue();
            assertThat(child.lines()).noneMatch(l -> LISTENING.matcher(l).find());
            child.signal("TERM");
            assertThat(child.exitWithin(Duration.ofSeconds(15))).isZero();
        }
    }

    @Test
    void aPortInUseExitsOneNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            try (ChildNexus child = ChildNexus.start(
                    dir, args("--port", Integer.toString(port), "--no-discovery", "--no-health-check"))) {
                assertThat(child.exitWithin(START)).as("%s", child.lines()).isEqualTo(1);
                assertThat(child.lines()).anyMatch(l -> l.contains(Integer.toString(port)) && l.contains("--port"));
            }
        }
    }
}
