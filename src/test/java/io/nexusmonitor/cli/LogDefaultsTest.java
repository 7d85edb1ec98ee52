package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDefaultsTest {

    @Test
    void configuresTheProgramsLoggingWithoutXml() {
        String named = System.clearProperty(ClassicConstants.CONFIG_FILE_PROPERTY); // surefire names logback-test.xml
        LoggerContext context = new LoggerContext();
        try {
            LogDefaults defaults = new LogDefaults();
            defaults.setContext(context);
            assertThat(defaults.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        } finally {
            if (named != null) {
                System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, named);
            }
        }
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("STDOUT"))
                .isInstanceOfSatisfying(
                        ConsoleAppender.class,
                        a -> assertThat(((PatternLayoutEncoder) a.getEncoder()).getPattern())
                                .isEqualTo(LogDefaults.PATTERN));
        assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("javax.jmdns").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.freedesktop.dbus").getLevel()).isEqualTo(Level.OFF);
        assertThat(context.getTurboFilterList()).hasAtLeastOneElementOfType(MdnsNoiseFilter.class);
        context.stop();
    }

    @Test
    void aNamedLogbackFileWins() {
        assertThat(System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY))
                .as("surefire names logback-test.xml")
                .isNotNull();
        LoggerContext context = new LoggerContext();
        LogDefaults defaults = new LogDefaults();
        defaults.setContext(context);
        assertThat(defaults.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders())
                .isExhausted();
    }

    @Test
    void theJarFindsItAsALogbackService() throws IOException {
        Path service = Path.of("resources/META-INF/services/ch.qos.logback.classic.spi.Configurator");
        assertThat(Files.readAllLines(service, StandardCharsets.UTF_8)).isEqualTo(List.of(LogDefaults.class.getName()));
    }

    @Test
    void aChildProcessLogsAtInfoWithThePattern(@TempDir Path dir) throws Exception {
        try (ChildNexus child = ChildNexus.start(
                dir,
                "--no-gui",
                "--no-discovery",
                "--port",
                "0",
                "--state-dir",
                dir.resolve("state").toString(),
                "-c",
                "/dev/null")) {
            assertThat(child.awaitLine(l -> l.contains("HTTP API listening on"), Duration.ofSeconds(60)))
                    .isTrue();
            assertThat(child.lines())
                    .filteredOn(l -> l.contains("HTTP API listening on"))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^]]+\\] \\S+ - HTTP API listening on .*");
        }
    }
}
