package io.nexusmonitor.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.nexusmonitor.config.NexusConfig;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code [logging]} once the config is read: the root level, and {@code format = "json"}
 * switching the console to logback's own JSON encoder (one object per line). {@link LogDefaults}
 * gives the pretty default, so a program that never gets here still logs readably.
 */
final class LoggingSetup {
    private LoggingSetup() {}

    static void apply(NexusConfig.Logging logging) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // another SLF4J backend is in charge (an embedding application): leave it alone
        }
        Level level = Level.toLevel(logging.level(), Level.INFO);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        // LogDefaults quietens chatty libraries to WARN; "error" must quieten them further, not less
        for (Logger l : context.getLoggerList()) {
            if (l != root && l.getLevel() != null && !l.getLevel().isGreaterOrEqual(level)) {
                l.setLevel(level);
            }
        }
        if (logging.format() == NexusConfig.LogFormat.JSON) {
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof ConsoleAppender<ILoggingEvent> console
                        && !(console.getEncoder() instanceof JsonEncoder)) {
                    console.stop();
                    console.setEncoder(jsonEncoder(context));
                    console.start();
                }
            }
        }
    }

    private static JsonEncoder jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        // the finished sentence is what log readers want; the raw pattern and its arguments are noise
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithContext(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.start();
        return encoder;
    }
}
