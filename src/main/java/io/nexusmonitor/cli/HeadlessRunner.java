package io.nexusmonitor.cli;

import io.nexusmonitor.app.NexusEngine;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the engine until SIGINT or SIGTERM, then stops it cleanly and returns 0. Handling the
 * signals ourselves (rather than only a shutdown hook) is what lets a stopped service exit 0,
 * which is what systemd and scripts expect from a clean stop.
 */
final class HeadlessRunner {
    private static final Logger log = LoggerFactory.getLogger(HeadlessRunner.class);

    private final NexusEngine engine;
    private final CountDownLatch stop = new CountDownLatch(1);

    HeadlessRunner(NexusEngine engine) {
        this.engine = engine;
    }

    int run() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    // `timeout` and terminals signal the whole process group too: say it once
                    if (stop.getCount() > 0) {
                        log.info("received SIG{}, stopping", s.getName());
                    }
                    stop.countDown();
                });
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
        try {
            engine.start();
        } catch (RuntimeException e) {
            log.error("cannot start: {}", e.getMessage(), e);
            engine.close();
            return ExitCodes.RUNTIME_FAILURE;
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
        return ExitCodes.OK;
    }
}
