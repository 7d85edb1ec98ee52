package io.nexusmonitor.cli;

import io.nexusmonitor.config.ConfigException;
import io.nexusmonitor.config.ConfigLoader;
import io.nexusmonitor.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nexus-monitor config check FILE}: validates without starting anything. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Validate a config file: print 'ok' (and any warnings), or every problem as "
                + "FILE:LINE:COLUMN: KEY: MESSAGE.",
        footer = {"", "Exit codes: 0 ok (warnings allowed), 2 the file has problems."})
final class ConfigCheckCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The config file to check.")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            LoadedConfig lc = ConfigLoader.load(file);
            ConfigReport.warnings(err, lc.warnings());
            out.println(
                    "ok" + (lc.warnings().isEmpty() ? "" : " (" + lc.warnings().size() + " warning(s))"));
            return ExitCodes.OK;
        } catch (ConfigException e) {
            ConfigReport.errors(err, e.problems());
            ConfigReport.warnings(err, e.warnings());
            err.println(e.problems().size() + " problem(s) in " + file);
            return ExitCodes.USAGE;
        }
    }
}
