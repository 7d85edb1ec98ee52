package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexusmonitor.config.NexusConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingSetupTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger log = LoggerFactory.getLogger("io.nexusmonitor.test");

    @AfterEach
    void restoreLogbackXml() throws Exception {
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @ParameterizedTest
    @CsvSource({"trace, TRACE", "debug, DEBUG", "info, INFO", "warn, WARN", "error, ERROR"})
    void setsTheRootLevel(String word, String level) {
        LoggingSetup.apply(new NexusConfig.Logging(word, NexusConfig.LogFormat.PRETTY));
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.toLevel(level));
        assertThat(context.getLogger("io.nexusmonitor.anything").getEffectiveLevel())
                .isEqualTo(Level.toLevel(level));
    }

    @Test
    void errorLevelAlsoQuietensLibrariesThatLogbackXmlSetToWarn() {
        LoggingSetup.apply(new NexusConfig.Logging("error", NexusConfig.LogFormat.PRETTY));
        assertThat(context.getLogger("org.eclipse.jetty").getEffectiveLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void debugLevelKeepsChattyLibrariesAtWarn() {
        LoggingSetup.apply(new NexusConfig.Logging("debug", NexusConfig.LogFormat.PRETTY));
        assertThat(context.getLogger("javax.jmdns").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        List<String> lines = captureStdout(() -> {
            LoggingSetup.apply(new NexusConfig.Logging("info", NexusConfig.LogFormat.JSON));
            log.info("backend {} is {}", "gpu-box", "healthy");
            log.warn("second line");
            log.debug("not at info");
        });
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("loggerName").asText()).isEqualTo("io.nexusmonitor.test");
        assertThat(first.path("formattedMessage").asText()).isEqualTo("backend gpu-box is healthy");
        assertThat(first.path("timestamp").isNumber()).isTrue();
        assertThat(json.readTree(lines.get(1)).path("level").asText()).isEqualTo("WARN");
    }

    @Test
    void prettyFormatKeepsReadableLines() {
        List<String> lines = captureStdout(() -> {
            LoggingSetup.apply(new NexusConfig.Logging("info", NexusConfig.LogFormat.PRETTY));
            log.info("plain {}", "words");
        });
        assertThat(lines)
                .singleElement()
                .satisfies(l ->
                        assertThat(l).contains("INFO").endsWith("- plain words").doesNotStartWith("{"));
    }

    /** Logback's console appender writes through System.out as it is when it logs. */
    private static List<String> captureStdout(Runnable r) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(original);
        }
        List<String> lines = new ArrayList<>();
        buffer.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isBlank())
                .forEach(lines::add);
        return lines;
    }
}
