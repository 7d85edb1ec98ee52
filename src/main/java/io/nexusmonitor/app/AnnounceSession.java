package io.nexusmonitor.app;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.discovery.Announcer;
import io.nexusmonitor.health.HealthChecker;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.RegistryEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code nexus-monitor announce}: the service is announced only while the local server answers
 * the same health probe the monitor uses for its type, and withdrawn (goodbye) when it stops
 * answering. The probe is the health checker itself, watching a one-backend registry of its own.
 */
public final class AnnounceSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AnnounceSession.class);

    private final Announcer announcer;
    private final Registry registry = new Registry();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "announce-scheduler");
        t.setDaemon(true);
        return t;
    });
    /** JmDNS registration probes for a second or so: never on the health checker's threads. */
    private final ExecutorService mdns = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "announce-mdns");
        t.setDaemon(true);
        return t;
    });

    private final HealthChecker health;

    /**
     * @param checkUrl  the server as the probe reaches it, {@code http://127.0.0.1:11434}
     * @param apiPath   null for the type's default
     * @param settings  probe interval, timeout and thresholds
     */
    public AnnounceSession(
            Announcer announcer,
            String checkUrl,
            BackendType type,
            @Nullable String apiPath,
            NexusConfig.HealthCheck settings) {
        this.announcer = announcer;
        Map<String, String> txt = apiPath == null ? Map.of() : Map.of("api_path", apiPath);
        Backend local = Backend.create("", "local server", checkUrl, type, BackendSource.MANUAL, 1, Instant.now())
                .withMdns(new MdnsInfo("local", null, null, List.of(), txt, null, null));
        registry.add(local, "announce");
        registry.subscribe(this::onEvent);
        health = new HealthChecker(registry, settings, scheduler);
    }

    public void start() {
        health.start();
    }

    private void onEvent(RegistryEvent e) {
        if (e.kind() != RegistryEvent.Kind.STATUS_CHANGED) {
            return;
        }
        Backend b = e.backend();
        if (b.status() == BackendStatus.HEALTHY || b.status() == BackendStatus.LOADING) {
            log.info("{} answers its health check; announcing", LogText.of(b.url()));
            mdns.execute(announcer::announce);
        } else if (b.status() == BackendStatus.UNHEALTHY) {
            log.warn(
                    "{} stopped answering its health check ({}); withdrawing the announcement",
                    LogText.of(b.url()),
                    LogText.of(b.lastError(), 400));
            mdns.execute(announcer::withdraw);
        }
    }

    /** Stops checking, withdraws the service (goodbye) and closes the responders. */
    @Override
    public void close() {
        health.close();
        mdns.shutdown();
        try {
            mdns.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        announcer.close();
        scheduler.shutdownNow();
    }
}
