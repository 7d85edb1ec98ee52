package io.nexusmonitor.cli;

import io.nexusmonitor.config.ExampleConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nexus-monitor config init [-o FILE] [--force]}: writes the commented example config. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Write a commented example config (every key with its default).",
        footer = {"", "Exit codes: 0 written, 1 cannot write, 2 the file exists (use --force)."})
final class ConfigInitCommand implements Callable<Integer> {
    static final String STDOUT = "-";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            defaultValue = "nexus.toml",
            description = "Where to write it; '-' for standard output. Default: nexus.toml in the current directory.")
    String output;

    @Option(names = "--force", description = "Overwrite the file if it exists.")
    boolean force;

    /** What a relative FILE is resolved against; the process's working directory. */
    Path workingDir = Path.of("");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text = ExampleConfig.text();
        if (STDOUT.equals(output)) {
            out.print(text);
            out.flush();
            return ExitCodes.OK;
        }
        Path file = workingDir.resolve(output);
        if (Files.exists(file) && !force) {
            err.println("nexus-monitor: " + file + " already exists; use --force to overwrite it");
            return ExitCodes.USAGE;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            err.println("nexus-monitor: cannot write " + file + ": " + e);
            return ExitCodes.RUNTIME_FAILURE;
        }
        out.println("wrote " + file + "; check your edits with: nexus-monitor config check " + file);
        return ExitCodes.OK;
    }
}
