package io.nexusmonitor.cli;

import io.nexusmonitor.api.GpuStatusServer;
import io.nexusmonitor.app.AnnounceSession;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.discovery.Announcer;
import io.nexusmonitor.discovery.MdnsDiscovery;
import io.nexusmonitor.discovery.SystemInterfaces;
import io.nexusmonitor.discovery.logic.InterfaceChoice;
import io.nexusmonitor.discovery.logic.TxtRecords;
import io.nexusmonitor.gpu.GpuProbe;
import io.nexusmonitor.gpu.GpuStatusJson;
import io.nexusmonitor.process.StopSignals;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.UrlNormalizer;
import io.nexusmonitor.registry.WakeOnLan;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nexus-monitor announce}: makes a local server that cannot announce itself (Ollama does
 * not) discoverable by mDNS, for as long as it answers its health check.
 */
@Command(
        name = "announce",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Announce a local LLM server on the LAN by mDNS (DNS-SD) while it answers its health check; "
                    + "withdraw it (goodbye) when it stops answering and on exit (SIGINT/SIGTERM).",
            "Service type: _ollama._tcp for ollama, _llm._tcp for every other type."
        })
final class AnnounceCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(AnnounceCommand.class);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--type",
            required = true,
            paramLabel = "TYPE",
            description = "ollama | vllm | llamacpp | exo | lmstudio | openai | generic")
    String type;

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "The port the server listens on.")
    int port;

    @Option(
            names = "--name",
            paramLabel = "N",
            description = "Instance name shown to browsers. Default: this host's name.")
    @Nullable
    String name;

    @Option(
            names = "--api-path",
            paramLabel = "P",
            description = "API path (TXT api_path). Default: none for ollama, /v1 otherwise.")
    @Nullable
    String apiPath;

    @Option(
            names = "--max-concurrent",
            paramLabel = "N",
            description = "Requests the server runs at once (TXT max_concurrent), e.g. its OLLAMA_NUM_PARALLEL or "
                    + "--parallel. Default: not announced.")
    @Nullable
    Integer maxConcurrent;

    @Option(
            names = "--txt",
            paramLabel = "KEY=VALUE",
            description = "Extra TXT record (repeatable), e.g. version=0.5.1.")
    Map<String, String> txt = new LinkedHashMap<>();

    @Option(
            names = "--interface",
            paramLabel = "NAME_OR_ADDRESS",
            description = "Announce only on this interface or address (repeatable). Default: every up, "
                    + "multicast-capable, non-loopback interface.")
    List<String> interfaces = new ArrayList<>();

    @Option(
            names = "--check-url",
            paramLabel = "URL",
            description =
                    "Where the health check reaches the server. Default: http://127.0.0.1:PORT plus the API path.")
    @Nullable
    String checkUrl;

    @Option(
            names = "--check-interval",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Seconds between health checks (default ${DEFAULT-VALUE}).")
    int checkInterval;

    @Option(
            names = "--status-port",
            paramLabel = "PORT",
            description = "Serve this host's GPUs read-only at http://BIND:PORT/status (JSON) and announce TXT "
                    + "status_port for the monitor to poll. Default: no endpoint.")
    @Nullable
    Integer statusPort;

    @Option(
            names = "--status-bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Address the status endpoint listens on (default ${DEFAULT-VALUE}; a LAN address or "
                    + "0.0.0.0 to let monitors on other hosts poll it).")
    String statusBind = "127.0.0.1";

    @Option(
            names = "--gpu-timeout",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description = "Longest wait for nvidia-smi or rocm-smi (default ${DEFAULT-VALUE}); a tool that takes "
                    + "longer is stopped and its GPUs are not reported.")
    int gpuTimeout = 5;

    /**
     * The TXT records announced: {@code type}, {@code api_path} when given, {@code max_concurrent} when
     * given, then the extra {@code --txt} ones (which cannot override those).
     */
    static Map<String, String> records(
            BackendType t, @Nullable String apiPath, @Nullable Integer maxConcurrent, Map<String, String> extra) {
        Map<String, String> records = new LinkedHashMap<>();
        records.put("type", t.wire());
        if (apiPath != null) {
            records.put("api_path", apiPath);
        }
        if (maxConcurrent != null) {
            records.put(TxtRecords.MAX_CONCURRENT, Integer.toString(maxConcurrent));
        }
        extra.forEach((k, v) -> records.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        return records;
    }

    /** Counted down by SIGINT/SIGTERM. */
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        BackendType t = BackendType.parse(type).orElse(null);
        if (t == null) {
            err.println("nexus-monitor announce: --type '" + type + "' is not one of " + BackendType.choices());
            return ExitCodes.USAGE;
        }
        if (port < 1 || port > 65535) {
            err.println("nexus-monitor announce: --port must be 1..65535, got " + port);
            return ExitCodes.USAGE;
        }
        if (checkInterval < 1) {
            err.println("nexus-monitor announce: --check-interval must be at least 1 second");
            return ExitCodes.USAGE;
        }
        if (maxConcurrent != null && (maxConcurrent < 1 || maxConcurrent > BackendSettings.MAX_CAPACITY)) {
            err.println("nexus-monitor announce: --max-concurrent must be 1.." + BackendSettings.MAX_CAPACITY + ", got "
                    + maxConcurrent);
            return ExitCodes.USAGE;
        }
        String path = apiPath == null ? TxtRecords.defaultApiPath(t) : apiPath.trim();
        String check;
        try {
            check = UrlNormalizer.normalize(checkUrl != null ? checkUrl : "http://127.0.0.1:" + port + path);
        } catch (IllegalArgumentException e) {
            err.println("nexus-monitor announce: --check-url: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (statusPort != null && (statusPort < 1 || statusPort > 65535)) {
            err.println("nexus-monitor announce: --status-port must be 1..65535, got " + statusPort);
            return ExitCodes.USAGE;
        }
        if (gpuTimeout < 1 || gpuTimeout > 120) {
            err.println("nexus-monitor announce: --gpu-timeout must be 1..120 seconds, got " + gpuTimeout);
            return ExitCodes.USAGE;
        }
        Map<String, String> base = records(t, apiPath == null ? null : path, maxConcurrent, txt);
        if (statusPort != null) {
            base.putIfAbsent(GpuPublisher.STATUS_PORT, Integer.toString(statusPort));
        }
        List<InterfaceChoice.Target> targets =
                MdnsDiscovery.loopbackOnlyInTests(InterfaceChoice.choose(SystemInterfaces.list(), interfaces));
        String mac = interfaceMac(targets);
        if (mac != null) {
            base.putIfAbsent(WakeOnLan.TXT_MAC, mac); // for Wake-on-LAN: the box's NIC that carries the announcement
        }
        GpuPublisher gpus = new GpuPublisher(new GpuProbe(gpuTimeout * 1000L), base);
        Map<String, String> records = gpus.readNow();
        String serviceType = TxtRecords.serviceType(t);
        String instance = name != null && !name.isBlank() ? name.trim() : hostName();
        Announcer.Service service = new Announcer.Service(serviceType, instance, port, records);

        Announcer announcer;
        try {
            announcer = Announcer.open(service, targets, hostName());
        } catch (IOException e) {
            err.println("nexus-monitor announce: " + e.getMessage()
                    + (interfaces.isEmpty() ? " (choose one with --interface)" : ""));
            return ExitCodes.RUNTIME_FAILURE;
        }
        GpuStatusServer status = null;
        if (statusPort != null) {
            try {
                status = GpuStatusServer.start(statusBind, statusPort, gpus::snapshot);
                log.info("GPU status at http://{}:{}{}", statusBind, status.port(), GpuStatusJson.PATH);
            } catch (IOException | RuntimeException e) {
                announcer.close();
                err.println("nexus-monitor announce: --status-port " + statusPort + " on " + statusBind + ": "
                        + e.getMessage());
                return ExitCodes.RUNTIME_FAILURE;
            }
        }
        handleSignals();
        NexusConfig.HealthCheck settings = new NexusConfig.HealthCheck(true, checkInterval, 5, 2, 1);
        try (AnnounceSession session =
                new AnnounceSession(announcer, check, t, apiPath == null ? null : path, settings)) {
            log.info(
                    "announcing '{}' ({}, port {}, TXT {}) on {} while {} answers its health check",
                    instance,
                    serviceType,
                    port,
                    records,
                    announcer.interfaces(),
                    check);
            session.start();
            gpus.start(announcer);
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            gpus.close();
            if (status != null) {
                status.close();
            }
        }
        return ExitCodes.OK;
    }

    private void handleSignals() {
        StopSignals.onStop(name -> {
            log.info("received SIG{}, withdrawing the announcement", name);
            stop.countDown();
        });
    }

    /** The hardware address of the first target's interface (the one a monitor reaches), null when it has none (loopback). */
    private static @Nullable String interfaceMac(List<InterfaceChoice.Target> targets) {
        for (InterfaceChoice.Target t : targets) {
            try {
                NetworkInterface nic = NetworkInterface.getByName(t.interfaceName());
                byte[] hw = nic == null ? null : nic.getHardwareAddress();
                if (hw != null && hw.length == 6) {
                    StringBuilder b = new StringBuilder();
                    for (byte x : hw) {
                        b.append(b.length() == 0 ? "" : ":").append(String.format(Locale.ROOT, "%02x", x & 0xff));
                    }
                    String m = WakeOnLan.normalizeMac(b.toString());
                    if (m != null) {
                        return m;
                    }
                }
            } catch (IOException e) {
                log.debug("no hardware address for {}: {}", t.label(), e.getMessage());
            }
        }
        return null;
    }

    /** This host's short name, for the default instance and host names; "nexus-monitor" when unknown. */
    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "nexus-monitor";
            }
        }
        int dot = h.indexOf('.');
        return dot > 0 ? h.substring(0, dot) : h;
    }
}
