package io.nexusmonitor.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;

/** One run of the real command line with its output captured. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return of(cl -> {}, args);
    }

    /** @param prepare adjusts the command line (e.g. a subcommand's working directory) before it runs */
    static CliRun of(Consumer<CommandLine> prepare, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        prepare.accept(cl);
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
