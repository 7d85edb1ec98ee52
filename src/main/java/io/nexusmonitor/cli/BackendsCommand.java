package io.nexusmonitor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.json.BackendJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nexus-monitor backends ...}: read and change the registry of a running instance over its HTTP API. */
@Command(
        name = "backends",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Ask a running Nexus Monitor about its backends, or change them.",
        subcommands = {
            BackendsCommand.ListCommand.class,
            BackendsCommand.AddCommand.class,
            BackendsCommand.RemoveCommand.class,
            BackendsCommand.PinCommand.class,
            BackendsCommand.UnpinCommand.class,
            BackendsCommand.WakeCommand.class
        })
final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** Runs one API call, printing a clear message and returning 1 when it fails. */
    static int run(CommandLine.Model.CommandSpec spec, Callable<String> action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            out.print(action.call());
            out.flush();
            return ExitCodes.OK;
        } catch (ApiClient.Failure e) {
            err.println("nexus-monitor: " + e.getMessage());
            return ExitCodes.RUNTIME_FAILURE;
        } catch (Exception e) {
            err.println("nexus-monitor: " + e);
            return ExitCodes.RUNTIME_FAILURE;
        }
    }

    static String pretty(JsonNode json) throws Exception {
        return BackendJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "List the backends of a running instance (a table; --json for the API's JSON).")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Option(names = "--json", description = "Print the API's JSON ({\"backends\":[...]}) instead of a table.")
        boolean json;

        @Option(
                names = "--site",
                paramLabel = "SITE",
                description = "Only the backends another site publishes under this name ([federation]); "
                        + "'local' for this monitor's own.")
        @Nullable
        String site;

        @Override
        public Integer call() {
            return run(spec, () -> {
                JsonNode list = api.client().get("/api/backends");
                if (site != null) {
                    list = BackendTable.ofSite(list, site);
                }
                return json ? pretty(list) : BackendTable.render(list.path("backends"));
            });
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Add a backend by URL to a running instance (source 'manual').")
    static final class AddCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", paramLabel = "URL", description = "e.g. http://192.168.1.10:11434")
        String url;

        @Option(names = "--name", paramLabel = "NAME", description = "Display name (default: the URL's host).")
        @Nullable
        String name;

        @Option(
                names = "--type",
                paramLabel = "TYPE",
                description = "ollama | vllm | llamacpp | exo | lmstudio | openai | generic "
                        + "(default: ollama on port 11434, else generic).")
        @Nullable
        String type;

        @Option(names = "--priority", paramLabel = "N", description = "Lower is preferred (default: 50).")
        @Nullable
        Integer priority;

        @Option(
                names = "--max-concurrent",
                paramLabel = "N",
                description = "Requests the server runs at once (its parallel slots; default: not set).")
        @Nullable
        Integer maxConcurrent;

        @Option(
                names = "--weight",
                paramLabel = "W",
                description = "Share of traffic among equal backends (default: 1).")
        @Nullable
        Integer weight;

        @Option(
                names = "--api-key-env",
                paramLabel = "NAME",
                description = "Environment variable holding the key the server wants (sent to it as a Bearer token). "
                        + "Read here and sent to the instance, only to a loopback or https:// --api.")
        @Nullable
        String apiKeyEnv;

        @Option(
                names = "--forward-client-auth",
                description = "Send a client's own Authorization header to this backend instead of the key.")
        boolean forwardClientAuth;

        /** The environment {@code --api-key-env} is read from; a test swaps it. */
        java.util.function.Function<String, String> env = System::getenv;

        @Override
        public Integer call() {
            String key = null;
            if (apiKeyEnv != null) {
                PrintWriter err = spec.commandLine().getErr();
                String value = env.apply(apiKeyEnv.trim());
                if (value == null || value.isBlank()) {
                    err.println("nexus-monitor backends add: --api-key-env: the environment variable "
                            + apiKeyEnv.trim() + " is " + (value == null ? "not set" : "empty"));
                    return ExitCodes.USAGE;
                }
                String why = io.nexusmonitor.registry.Credential.problem(value.trim());
                if (why != null) {
                    err.println(
                            "nexus-monitor backends add: --api-key-env: the value of " + apiKeyEnv.trim() + ": " + why);
                    return ExitCodes.USAGE;
                }
                if (!ApiOptions.isLoopback(api.api)
                        && !api.api.trim().toLowerCase(java.util.Locale.ROOT).startsWith("https://")) {
                    err.println("nexus-monitor backends add: --api-key-env: not sending a key in clear text to "
                            + api.api + "; use an https:// --api, or run this on that machine");
                    return ExitCodes.USAGE;
                }
                key = value.trim();
            }
            String apiKey = key;
            return run(spec, () -> {
                ObjectNode body = BackendJson.MAPPER.createObjectNode().put("url", url);
                if (maxConcurrent != null) {
                    body.put("max_concurrent", maxConcurrent);
                }
                if (weight != null) {
                    body.put("weight", weight);
                }
                if (apiKey != null) {
                    body.put("api_key", apiKey);
                }
                if (forwardClientAuth) {
                    body.put("forward_client_auth", true);
                }
                if (name != null) {
                    body.put("name", name);
                }
                if (type != null) {
                    body.put("type", type);
                }
                if (priority != null) {
                    body.put("priority", priority);
                }
                JsonNode b = api.client().post("/api/backends", body);
                return "added " + b.path("name").asText() + " (" + b.path("url").asText() + "), id "
                        + b.path("id").asText() + "\n";
            });
        }
    }

    /** The commands that act on one backend by id: they differ only in the call and the word they print. */
    abstract static class ByIdCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "The backend's id (see 'backends list').")
        String id;

        private final String done;
        /** Sends the request for the backend at the path and returns the backend it answers with. */
        private final BiFunction<ApiClient, String, JsonNode> send;

        ByIdCommand(String done, BiFunction<ApiClient, String, JsonNode> send) {
            this.done = done;
            this.send = send;
        }

        @Override
        public Integer call() {
            return run(spec, () -> {
                JsonNode b = send.apply(api.client(), "/api/backends/" + ApiClient.segment(id));
                return done + " " + b.path("name").asText() + " ("
                        + b.path("url").asText() + ")\n";
            });
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Remove a manual or discovered backend from a running instance.")
    static final class RemoveCommand extends ByIdCommand {
        RemoveCommand() {
            super("removed", ApiClient::delete);
        }
    }

    @Command(
            name = "pin",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description =
                    "Pin a backend: never removed by discovery, restored on the next start, approved for traffic.")
    static final class PinCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "The backend's id (see 'backends list').")
        String id;

        @Option(
                names = "--mac",
                paramLabel = "MAC",
                description = "The box's MAC address for Wake-on-LAN (aa:bb:cc:dd:ee:ff); marks it wakeable.")
        @Nullable
        String mac;

        @Option(
                names = "--wake-on-lan",
                paramLabel = "true|false",
                arity = "1",
                description = "Mark the backend wakeable (asleep, not unhealthy, when it stops answering) or not.")
        @Nullable
        Boolean wakeOnLan;

        @Option(
                names = "--wake-broadcast",
                paramLabel = "ADDRESS[:PORT]",
                description = "Where the magic packet goes (default 255.255.255.255:9), e.g. 192.168.1.255.")
        @Nullable
        String wakeBroadcast;

        @Override
        public Integer call() {
            return run(spec, () -> {
                ObjectNode body = null;
                if (mac != null || wakeOnLan != null || wakeBroadcast != null) {
                    body = BackendJson.MAPPER.createObjectNode();
                    if (mac != null) {
                        body.put("mac", mac);
                    }
                    if (wakeOnLan != null) {
                        body.put("wake_on_lan", wakeOnLan);
                    }
                    if (wakeBroadcast != null) {
                        body.put("wake_broadcast", wakeBroadcast);
                    }
                }
                JsonNode b = api.client().post("/api/backends/" + ApiClient.segment(id) + "/pin", body);
                JsonNode w = b.path("wake");
                return "pinned " + b.path("name").asText() + " ("
                        + b.path("url").asText() + ")"
                        + (w.path("wakeable").asBoolean()
                                ? ", wakeable (" + w.path("mac").asText() + ")"
                                : "") + "\n";
            });
        }
    }

    @Command(
            name = "wake",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Send a backend's box a Wake-on-LAN magic packet; it shows healthy once it answers.")
    static final class WakeCommand extends ByIdCommand {
        WakeCommand() {
            super("sent a Wake-on-LAN packet to", (client, path) -> client.post(path + "/wake", null));
        }
    }

    @Command(
            name = "unpin",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Unpin a backend: it returns to the rules of its source.")
    static final class UnpinCommand extends ByIdCommand {
        UnpinCommand() {
            super("unpinned", (client, path) -> client.post(path + "/unpin", null));
        }
    }
}
