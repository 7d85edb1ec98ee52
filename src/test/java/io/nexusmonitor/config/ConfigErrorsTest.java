package io.nexusmonitor.config;

import static io.nexusmonitor.config.ConfigFixtures.load;
import static io.nexusmonitor.config.ConfigFixtures.onlyProblem;
import static io.nexusmonitor.config.ConfigFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One table per kind of problem. Each row: the file, then the problem exactly as printed
 * ({@code file:line:column: key: message}). TOML text uses '|' for a line break.
 */
class ConfigErrorsTest {

    private static String toml(String rows) {
        return rows.replace('|', '\n') + "\n";
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            quoteCharacter = '`',
            value = {
                "[server]|port = \"8000\"; nexus.toml:2:1: server.port: expected an integer from 0 to 65535, found a string (\"8000\")",
                "[server]|host = 1; nexus.toml:2:1: server.host: expected a string, found an integer (1)",
                "[discovery]|enabled = \"yes\"; nexus.toml:2:1: discovery.enabled: expected true or false, found a string (\"yes\")",
                "[discovery]|service_types = \"_x._tcp.local\"; nexus.toml:2:1: discovery.service_types: expected an array of strings, found a string (\"_x._tcp.local\")",
                "[discovery]|interfaces = [\"lo\", 1]; nexus.toml:2:21: discovery.interfaces[1]: expected a string, found an integer (1)",
                "[health_check]|timeout_seconds = 1.5; nexus.toml:2:1: health_check.timeout_seconds: expected an integer of at least 1, found a float (1.5)",
                "[logging]|level = 3; nexus.toml:2:1: logging.level: expected a string, found an integer (3)",
                "[routing.aliases]|\"gpt-4\" = 1; nexus.toml:2:1: routing.aliases.gpt-4: expected a model name (a non-empty string), found an integer (1)",
                "[routing.aliases]|llama3.1 = \"x\"; nexus.toml:2:1: routing.aliases.llama3: expected a model name (a non-empty string), found a table (quote model names that contain dots: \"llama3.1\" = ...)",
                "[routing.fallbacks]|a = \"b\"; nexus.toml:2:1: routing.fallbacks.a: expected an array of model names, found a string (\"b\")",
                "server = 1; nexus.toml:1:1: server: expected a table ([server]), found an integer (1)",
                "backends = 1; nexus.toml:1:1: backends: expected [[backends]] tables, found an integer (1)",
                "backends = [\"x\"]; nexus.toml:1:13: backends[0]: expected a table (url = ..., name = ...), found a string (\"x\")",
                "[[backends]]|url = 5; nexus.toml:2:1: backends[0].url: expected a string, found an integer (5)",
                "[notifications]|on_found = 1; nexus.toml:2:1: notifications.on_found: expected true or false, found an integer (1)",
            })
    void reportsWrongTypes(String file, String expected) {
        assertThat(onlyProblem(toml(file))).hasToString(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "[server]|port = -1; server.port: expected an integer from 0 to 65535, found -1",
                "[server]|port = 65536; server.port: expected an integer from 0 to 65535, found 65536",
                "[server]|port = 99999999999; server.port: expected an integer from 0 to 65535, found 99999999999",
                "[server]|request_timeout_seconds = 0; server.request_timeout_seconds: expected an integer of at least 1, found 0",
                "[discovery]|grace_period_seconds = -5; discovery.grace_period_seconds: expected an integer of at least 0, found -5",
                "[health_check]|interval_seconds = 0; health_check.interval_seconds: expected an integer of at least 1, found 0",
                "[health_check]|timeout_seconds = 0; health_check.timeout_seconds: expected an integer of at least 1, found 0",
                "[health_check]|failure_threshold = 0; health_check.failure_threshold: expected an integer of at least 1, found 0",
                "[health_check]|recovery_threshold = -1; health_check.recovery_threshold: expected an integer of at least 1, found -1",
                "[routing]|max_retries = -1; routing.max_retries: expected an integer from 0 to 100, found -1",
                "[routing]|max_retries = 101; routing.max_retries: expected an integer from 0 to 100, found 101",
                "[[backends]]|url = \"http://a\"|priority = -1; backends[0].priority: expected an integer of at least 0, found -1",
            })
    void reportsNumbersOutOfRange(String file, String expected) {
        ConfigProblem p = onlyProblem(toml(file));
        assertThat(p.keyPath() + ": " + p.message()).isEqualTo(expected);
        assertThat(p.line()).isEqualTo(file.split("\\|").length);
        assertThat(p.column()).isEqualTo(1);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "[routing]|strategy = \"fastest\"; routing.strategy: expected one of smart | round_robin | priority_only | random, found \"fastest\"",
                "[logging]|level = \"verbose\"; logging.level: expected one of trace | debug | info | warn | error, found \"verbose\"",
                "[logging]|format = \"xml\"; logging.format: expected one of pretty | json, found \"xml\"",
                "[[backends]]|url = \"http://a\"|type = \"tgi\"; backends[0].type: expected one of ollama | vllm | llamacpp | exo | lmstudio | openai | generic, found \"tgi\"",
            })
    void reportsUnknownWordsWithTheChoices(String file, String expected) {
        ConfigProblem p = onlyProblem(toml(file));
        assertThat(p.keyPath() + ": " + p.message()).isEqualTo(expected);
    }

    /** The registry's URL rules decide; the loader reports their verdict at the key's position. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
        "ftp://gpu-box",
        "http://",
        "http://user:pw@gpu-box",
        "http://gpu-box/?x=1",
        "http://gpu-box:0",
        "http://gpu-box:99999",
        "'  '"
    })
    void reportsInvalidUrls(String url) {
        String message = org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class, () -> io.nexusmonitor.registry.UrlNormalizer.normalize(url))
                .getMessage();
        ConfigProblem p = onlyProblem("[[backends]]\nurl = \"" + url + "\"\n");
        assertThat(p).isEqualTo(new ConfigProblem("nexus.toml", "backends[0].url", 2, 1, message));
    }

    @Test
    void reportsBackendWithoutUrlAtItsHeader() {
        assertThat(onlyProblem("[server]\n\n[[backends]]\nname = \"x\"\n"))
                .hasToString(
                        "nexus.toml:3:1: backends[0].url: missing: every backend needs a url, e.g. url = \"http://gpu-box:11434\"");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "192.168.1.0/33; prefix length must be 0 to 32, found \"33\"",
                "10.0.0.0/x; prefix length must be 0 to 32, found \"x\"",
                "300.1.1.1/8; not an IPv4 address: \"300.1.1.1\"",
                "gpu-box/24; expected an IP address or block such as 192.168.1.0/24 or fd00::/8, found \"gpu-box\"",
                "fd00::/129; prefix length must be 0 to 128, found \"129\"",
                "fd00:::1/64; not an IP address: \"fd00:::1\"",
            })
    void reportsInvalidSubnets(String cidr, String message) {
        assertThat(onlyProblem("[discovery]\nallow_subnets = [\"10.0.0.0/8\", \"" + cidr + "\"]\n"))
                .isEqualTo(new ConfigProblem(
                        "nexus.toml", "discovery.allow_subnets[1]", 2, 32, "invalid subnet: " + message));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
        "_ollama._tcp",
        "ollama._tcp.local",
        "_ollama.tcp.local",
        "_ollama._tcp.local.extra",
        "_ollama._http.local",
        "_x_._tcp.local",
        "''"
    })
    void reportsServiceTypesThatAreNotDnsSd(String type) {
        assertThat(onlyProblem("[discovery]\nservice_types = [\"" + type + "\"]\n"))
                .isEqualTo(new ConfigProblem(
                        "nexus.toml",
                        "discovery.service_types[0]",
                        2,
                        18,
                        "expected a DNS-SD service type like \"_ollama._tcp.local\", found \"" + type + "\""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "[discovery]|service_types = [\"_a._tcp.local\", \"_A._tcp.local.\"]; nexus.toml:2:1: discovery.service_types: a service type is listed twice (after adding the trailing dot): [_a._tcp.local., _a._tcp.local.]",
                "[discovery]|service_types = []; nexus.toml:2:1: discovery.service_types: expected at least one service type such as \"_ollama._tcp.local\" (to switch discovery off, set enabled = false)",
                "[[backends]]|name = \"a\"|url = \"HTTP://Box:80/\"|[[backends]]|name = \"b\"|url = \"http://box\"; nexus.toml:6:1: backends[1].url: the same URL as backend 'a' at nexus.toml:1 (http://box): list each server once",
                "[[backends]]|name = \"a\"|url = \"http://x\"|[[backends]]|name = \"a\"|url = \"http://y\"; nexus.toml:5:1: backends[1].name: the same name as the backend at nexus.toml:1: names must be unique",
                "[[backends]]|url = \"http://x\"|[[backends]]|url = \"http://x:8080\"|[[backends]]|url = \"http://x:80\"; nexus.toml:6:1: backends[2].url: the same URL as backend 'x' at nexus.toml:1 (http://x): list each server once",
                "[routing.fallbacks]|a = [\"b\", \"a\"]; nexus.toml:2:11: routing.fallbacks.a[1]: a model cannot fall back to itself",
            })
    void reportsDuplicates(String file, String expected) {
        assertThat(onlyProblem(toml(file))).hasToString(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "a = \"a\"; nexus.toml:2:1: routing.aliases.a: alias loop: a -> a",
                "a = \"b\"|b = \"a\"; nexus.toml:2:1: routing.aliases.a: alias loop: a -> b -> a",
                "c = \"a\"|a = \"b\"|b = \"d\"|d = \"a\"; nexus.toml:3:1: routing.aliases.a: alias loop: a -> b -> d -> a",
                "x = \"y\"|\"gpt-4\" = \"llama\"|llama = \"gpt-4\"; nexus.toml:3:1: routing.aliases.gpt-4: alias loop: gpt-4 -> llama -> gpt-4",
            })
    void reportsEachAliasLoopOnce(String aliases, String expected) {
        assertThat(onlyProblem("[routing.aliases]\n" + toml(aliases)))
                .hasToString(expected + " (an alias may point to another alias, but must end at a model)");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "[server]|port = ; nexus.toml:2:7: TOML syntax: Unexpected end of line, expected ', \", ''', \"\"\", a number, a boolean, a date/time, an array, or a table",
                "[server]|host = \"x; nexus.toml:2:10: TOML syntax: Unexpected end of line, expected \" or a character",
                "[server|port = 1; nexus.toml:1:8: TOML syntax: Unexpected end of line, expected ]",
                "[server]|port = 1|port = 2; nexus.toml:3:1: TOML syntax: port previously defined at line 2, column 1",
                "[server]|[server]; nexus.toml:2:1: TOML syntax: server previously defined at line 1, column 1",
            })
    void reportsTomlSyntaxErrors(String file, String expected) {
        assertThat(onlyProblem(toml(file))).hasToString(expected);
    }

    @Test
    void reportsEveryProblemAtOnceInFileOrder() {
        List<ConfigProblem> ps = problems(toml("[server]|port = 70000|host = \"\"|[health_check]|interval_seconds = 0|"
                + "[logging]|level = \"loud\"|[[backends]]|url = \"ftp://x\"|[routing.aliases]|a = \"a\""));
        assertThat(ps)
                .extracting(ConfigProblem::keyPath)
                .containsExactly(
                        "server.port",
                        "server.host",
                        "health_check.interval_seconds",
                        "logging.level",
                        "backends[0].url",
                        "routing.aliases.a");
        assertThat(ps).extracting(ConfigProblem::line).containsExactly(2, 3, 5, 7, 9, 11);
    }

    @Test
    void afterASyntaxErrorReportsOnlyWhatCanBeTrusted() {
        List<ConfigProblem> ps =
                problems(toml("[server]|port = 70000|[logging]|level = |[health_check]|interval_seconds = 0"));
        assertThat(ps).extracting(ConfigProblem::line).startsWith(2, 4);
        assertThat(ps.get(0).keyPath()).isEqualTo("server.port");
        assertThat(ps.subList(1, ps.size()))
                .allSatisfy(p -> assertThat(p.message()).startsWith("TOML syntax: "));
    }

    @Test
    void keepsWarningsBesideErrors() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse("[server]\nhots = \"x\"\nport = -1\n", Path.of("nexus.toml")));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.warnings()).extracting(ConfigProblem::keyPath).containsExactly("server.hots");
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.toml")));
        assertThat(e.problems()).singleElement().hasToString(dir.resolve("nope.toml") + ": no such file");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "serverr = 1; nexus.toml:1:1: serverr: unknown key, ignored (did you mean server?)",
                "[server]|hots = \"x\"; nexus.toml:2:1: server.hots: unknown key, ignored (did you mean host?)",
                "[health_check]|interval = 3; nexus.toml:2:1: health_check.interval: unknown key, ignored (did you mean interval_seconds?)",
                "[server]|colour = \"red\"; nexus.toml:2:1: server.colour: unknown key, ignored",
                "[[backends]]|url = \"http://a\"|nmae = \"x\"; nexus.toml:3:1: backends[0].nmae: unknown key, ignored (did you mean name?)",
                "[routing]|strategy = \"smart\"|alias = 1; nexus.toml:3:1: routing.alias: unknown key, ignored (did you mean aliases?)",
                "[metrics]|enabled = true; nexus.toml:1:1: metrics: unknown key, ignored",
            })
    void warnsAboutUnknownKeysWithTheirPosition(String file, String expected) {
        LoadedConfig lc = load(toml(file));
        assertThat(lc.warnings()).singleElement().hasToString(expected);
    }
}
