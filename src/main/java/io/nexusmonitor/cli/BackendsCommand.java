package io.nexusmonitor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.registry.BackendJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nexus-monitor backends ...}: read and change the registry of a running instance over its HTTP API. */
@Command(name = "backends", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Ask a running Nexus Monitor about its backends, or change them.",
        subcommands = {BackendsCommand.ListCommand.class})
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

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List the backends of a running instance (a table; --json for the API's JSON).")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Option(names = "--json", description = "Print the API's JSON ({\"backends\":[...]}) instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            return run(spec, () -> {
                JsonNode list = api.client().get("/api/backends");
                return json ? pretty(list) : BackendTable.render(list.path("backends"));
            });
        }
    }
}
