package io.nexusmonitor.cli;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The program's logging before {@code [logging]} is read ({@link LoggingSetup} applies that): one
 * line per event on stdout, INFO, chatty libraries at WARN, JmDNS's malformed-packet warnings
 * summarised by {@link MdnsNoiseFilter}. Found by logback through {@code
 * META-INF/services/ch.qos.logback.classic.spi.Configurator}, so no XML is read: logback's XML
 * configurator and the XML parser it needs are ~430 classes, ~2.8 MB of a headless process and
 * part of every start (README, "Memory"). A file named with {@code -Dlogback.configurationFile}
 * still wins: then logback reads it as usual.
 */
public final class LogDefaults extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        MdnsNoiseFilter mdns = new MdnsNoiseFilter();
        mdns.setContext(context);
        mdns.setIntervalSeconds(10);
        mdns.start();
        context.addTurboFilter(mdns);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();

        context.getLogger("javax.jmdns").setLevel(Level.WARN);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        // dbus-java logs a stack trace per lost connection; gui.desktop logs one line for it instead
        context.getLogger("org.freedesktop.dbus").setLevel(Level.OFF);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
