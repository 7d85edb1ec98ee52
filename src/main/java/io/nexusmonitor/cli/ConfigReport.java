package io.nexusmonitor.cli;

import io.nexusmonitor.config.ConfigProblem;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints config problems the way compilers do, one a line: {@code file:line:col: key: message}
 * for errors, the same after {@code warning: } for warnings. Editors and CI parse this shape.
 */
final class ConfigReport {
    private ConfigReport() {}

    static void warnings(PrintWriter err, List<ConfigProblem> warnings) {
        for (ConfigProblem w : warnings) {
            err.println("warning: " + w);
        }
    }

    static void errors(PrintWriter err, List<ConfigProblem> errors) {
        for (ConfigProblem p : errors) {
            err.println(p);
        }
    }
}
