package io.nexusmonitor.cli;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.ConfigException;
import io.nexusmonitor.config.ConfigLoader;
import io.nexusmonitor.config.LoadedConfig;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.gui.DesktopLauncher;
import io.nexusmonitor.gui.DesktopSession;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nexus-monitor [options]}: the window (or headless service) with engine and HTTP API. */
@Command(
        name = "nexus-monitor",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description =
                "Finds LLM servers (Ollama, vLLM, llama.cpp, exo, LM Studio, OpenAI-compatible) on the LAN by mDNS, "
                        + "health-checks them, shows them live and serves them as an OpenAI-compatible gateway.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ConfigCommand.class,
            BackendsCommand.class,
            AnnounceCommand.class,
            StatsCommand.class
        },
        footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad config (nothing started)."})
public final class NexusCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--no-gui",
            description = "Run headless: engine and HTTP API only, logs to stdout; stops on SIGINT/SIGTERM.")
    boolean noGui;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description =
                    "Config file. Default: ./nexus.toml if present, else $XDG_CONFIG_HOME/nexus-monitor/nexus.toml "
                            + "if present, else built-in defaults.")
    @Nullable
    Path configFile;

    @Option(names = "--host", paramLabel = "H", description = "Override [server].host.")
    @Nullable
    String host;

    @Option(
            names = "--port",
            paramLabel = "P",
            description = "Override [server].port (0 = pick a free port and log it).")
    @Nullable
    Integer port;

    @Option(names = "--no-discovery", description = "Switch mDNS discovery off.")
    boolean noDiscovery;

    @Option(names = "--no-health-check", description = "Switch health checks off (backends stay 'unknown').")
    boolean noHealthCheck;

    @Option(names = "--no-api", description = "Do not serve the HTTP API.")
    boolean noApi;

    @Option(
            names = "--interface",
            paramLabel = "NAME_OR_ADDRESS",
            description = "mDNS only on this interface or address (repeatable), e.g. lo, 127.0.0.1, eth0.")
    List<String> interfaces = new ArrayList<>();

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where pins and window state live. Default: $XDG_DATA_HOME/nexus-monitor.")
    @Nullable
    Path stateDir;

    Locations locations = Locations.system();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<NexusConfig> loaded = loadConfig(err);
        if (loaded.isEmpty()) {
            return ExitCodes.USAGE;
        }
        LoggingSetup.apply(loaded.get().logging());
        NexusConfig config = applyOverrides(loaded.get());
        EngineOptions options = new EngineOptions(stateDir != null ? stateDir : locations.defaultStateDir(), !noApi);
        if (noGui) {
            return new HeadlessRunner(new NexusEngine(config, options)).run();
        }
        // decided before any JavaFX class loads: DesktopLauncher is only touched when a window is wanted
        if (!locations.hasDisplay()) {
            err.println("nexus-monitor: no display: use --no-gui");
            return ExitCodes.USAGE;
        }
        NexusEngine engine = new NexusEngine(config, options);
        return DesktopLauncher.run(new DesktopSession(
                engine,
                engine::start,
                engine::close,
                config.notifications(),
                config.discovery().gracePeriod(),
                options.stateDir()));
    }

    /** Reads the config (or the defaults); on problems prints every one and returns empty. */
    Optional<NexusConfig> loadConfig(PrintWriter err) {
        Optional<Path> file = configFile != null ? Optional.of(configFile) : locations.defaultConfigFile();
        if (file.isEmpty()) {
            return Optional.of(NexusConfig.defaults());
        }
        try {
            LoadedConfig lc = ConfigLoader.load(file.get());
            ConfigReport.warnings(err, lc.warnings());
            return Optional.of(lc.config());
        } catch (ConfigException e) {
            ConfigReport.errors(err, e.problems());
            ConfigReport.warnings(err, e.warnings());
            err.println("nexus-monitor: " + e.problems().size() + " problem(s) in " + file.get() + "; nothing started");
            return Optional.empty();
        }
    }

    NexusConfig applyOverrides(NexusConfig c) {
        NexusConfig out = c;
        if (host != null) {
            out = out.withServer(out.server().withHost(host));
        }
        if (port != null) {
            out = out.withServer(out.server().withPort(port));
        }
        if (noDiscovery) {
            out = out.withDiscovery(out.discovery().withEnabled(false));
        }
        if (!interfaces.isEmpty()) {
            out = out.withDiscovery(out.discovery().withInterfaces(interfaces));
        }
        if (noHealthCheck) {
            out = out.withHealthCheck(out.healthCheck().withEnabled(false));
        }
        return out;
    }
}
