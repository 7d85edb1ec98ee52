package io.nexusmonitor.cli;

import picocli.CommandLine;

/**
 * Entry point. Decides nothing about JavaFX itself: {@link NexusCommand} picks window or headless
 * before any JavaFX class is touched, so {@code --no-gui} runs on machines without a display.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code: 0 ok, 1 runtime failure, 2 bad usage or config. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new NexusCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("nexus-monitor: " + ex.getMessage()));
            return ExitCodes.RUNTIME_FAILURE;
        });
        return cl;
    }
}
