package io.nexusmonitor.discovery;

import io.nexusmonitor.discovery.logic.InterfaceChoice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import javax.jmdns.impl.ServiceInfoImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces one DNS-SD service with JmDNS on the chosen interface addresses, and withdraws it
 * (JmDNS sends the records again with TTL 0: a goodbye, so browsers drop it at once).
 */
public final class Announcer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Announcer.class);

    /**
     * @param serviceType {@code _ollama._tcp.local.}
     * @param name        instance name, {@code GPU Box}; JmDNS appends a number on a conflict
     */
    public record Service(String serviceType, String name, int port, Map<String, String> txt) {
        public Service {
            txt = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(txt));
        }
    }

    private static final long ANNOUNCE_WAIT_MS = 6_000;

    private Service service;
    private final Map<InterfaceChoice.Target, JmDNS> responders = new LinkedHashMap<>();
    private final Map<InterfaceChoice.Target, ServiceInfo> registered = new LinkedHashMap<>();

    private Announcer(Service service) {
        this.service = service;
    }

    /**
     * Opens a responder on each target; one that cannot be opened is skipped with a warning.
     *
     * @throws IOException when none can be opened
     */
    public static Announcer open(Service service, List<InterfaceChoice.Target> targets, String hostName)
            throws IOException {
        Announcer a = new Announcer(service);
        List<String> errors = new ArrayList<>();
        for (InterfaceChoice.Target t : targets) {
            try {
                a.responders.put(t, JmDNS.create(t.address(), hostName));
            } catch (IOException e) {
                errors.add(t.label() + ": " + e.getMessage());
                log.warn("cannot announce on {}: {}", t.label(), e.getMessage());
            }
        }
        if (a.responders.isEmpty()) {
            throw new IOException(
                    targets.isEmpty()
                            ? "no interface to announce on"
                            : "mDNS cannot run on any interface (" + String.join("; ", errors) + ")");
        }
        return a;
    }

    public List<String> interfaces() {
        List<String> out = new ArrayList<>();
        responders.keySet().forEach(t -> out.add(t.label()));
        return out;
    }

    public synchronized boolean announced() {
        return !registered.isEmpty();
    }

    /** Registers the service on every responder (probing first, as DNS-SD requires); idempotent. */
    public synchronized void announce() {
        for (Map.Entry<InterfaceChoice.Target, JmDNS> e : responders.entrySet()) {
            if (registered.containsKey(e.getKey())) {
                continue;
            }
            ServiceInfo info =
                    ServiceInfo.create(service.serviceType(), service.name(), service.port(), 0, 0, service.txt());
            try {
                e.getValue().registerService(info);
                registered.put(e.getKey(), info);
                // registerService only starts probing (a second or more, longer while the host name
                // itself is still being probed): say "announced" once it really is
                boolean announced = !(info instanceof ServiceInfoImpl impl) || impl.waitForAnnounced(ANNOUNCE_WAIT_MS);
                if (announced) {
                    log.info(
                            "announced '{}' ({}) port {} on {}",
                            info.getName(),
                            service.serviceType(),
                            service.port(),
                            e.getKey().label());
                } else {
                    log.warn(
                            "'{}' on {} is still probing after {} s (a name conflict?); it is announced once probing ends",
                            info.getName(),
                            e.getKey().label(),
                            ANNOUNCE_WAIT_MS / 1000);
                }
            } catch (IOException | IllegalStateException ex) {
                log.warn("cannot announce on {}: {}", e.getKey().label(), ex.getMessage());
            }
        }
    }

    /**
     * Replaces the TXT records (the GPU summary changed); where the service is registered JmDNS
     * announces the new records, and a later {@link #announce} uses them.
     */
    public synchronized void updateTxt(Map<String, String> txt) {
        if (txt.equals(service.txt())) {
            return;
        }
        service = new Service(service.serviceType(), service.name(), service.port(), txt);
        for (ServiceInfo info : registered.values()) {
            info.setText(service.txt());
        }
    }

    /** Withdraws the service everywhere (goodbye); idempotent. */
    public synchronized void withdraw() {
        for (Map.Entry<InterfaceChoice.Target, ServiceInfo> e : registered.entrySet()) {
            Objects.requireNonNull(responders.get(e.getKey()))
                    .unregisterService(e.getValue()); // registered only where a responder is
            log.info(
                    "withdrew '{}' on {} (goodbye sent)",
                    e.getValue().getName(),
                    e.getKey().label());
        }
        registered.clear();
    }

    @Override
    public synchronized void close() {
        withdraw();
        for (JmDNS j : responders.values()) {
            try {
                j.close();
            } catch (IOException e) {
                log.debug("closing mDNS responder: {}", e.getMessage());
            }
        }
        responders.clear();
    }
}
