package io.nexusmonitor.cli;

import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.process.StopSignals;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the engine until SIGINT or SIGTERM ({@link StopSignals}), then stops it cleanly and returns 0. */
final class HeadlessRunner {
    private static final Logger log = LoggerFactory.getLogger(HeadlessRunner.class);

    private final NexusEngine engine;
    private final CountDownLatch stop = new CountDownLatch(1);

    HeadlessRunner(NexusEngine engine) {
        this.engine = engine;
    }

    int run() {
        StopSignals.onStop(name -> {
            // `timeout` and terminals signal the whole process group too: say it once
            if (stop.getCount() > 0) {
                log.info("received SIG{}, stopping", name);
            }
            stop.countDown();
        });
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
