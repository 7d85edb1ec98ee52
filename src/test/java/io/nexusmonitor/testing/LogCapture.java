package io.nexusmonitor.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what one class logs (its formatted messages), for tests that check log lines. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(org.slf4j.Logger source) {
        this.logger = (Logger) source;
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> source) {
        return new LogCapture(LoggerFactory.getLogger(source));
    }

    /** What one named logger logs. */
    public static LogCapture of(org.slf4j.Logger source) {
        return new LogCapture(source);
    }

    /** Everything every class logs (at the levels configured), for "never in any log line" checks. */
    public static LogCapture everything() {
        return new LogCapture(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
    }

    /** Every message so far, formatted as it is written ("{}" filled in). */
    public List<String> messages() {
        synchronized (appender.list) {
            return appender.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
