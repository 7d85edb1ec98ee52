package io.nexusmonitor.process;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as a request to stop cleanly. Handling them ourselves, rather than leaving
 * them to the JVM's shutdown hooks, is what lets a stopped program finish its own shutdown and
 * exit 0, which is what systemd, terminals and scripts expect from a clean stop.
 */
public final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {}

    /**
     * Calls {@code handler} with the signal's name ({@code INT} or {@code TERM}) on each of them,
     * on the JVM's signal thread; the handler must return quickly. Where a signal cannot be
     * handled (the JVM runs with {@code -Xrs}, or it is ignored), the JVM's default stays.
     */
    public static void onStop(Consumer<String> handler) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> handler.accept(s.getName()));
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
    }
}
