package io.nexusmonitor.api;

import java.util.regex.Pattern;

/**
 * What an error text may say over HTTP: a message written for the window or the log may name a
 * file by its absolute path (a config backend's {@code /home/me/.config/nexus-monitor/nexus.toml:12});
 * over HTTP that becomes the file's name ({@code nexus.toml:12}), which still says which file and line
 * without telling a client the user's directories. URLs ({@code http://host/v1}) are left alone.
 */
final class ErrorText {
    /** An absolute POSIX path: a slash not preceded by a word character, dot, colon or slash, then directories. */
    private static final Pattern POSIX = Pattern.compile("(?<![\\w.:/~-])/(?:[^/\\s'\"()]+/)+([^/\\s'\"()]+)");

    private static final Pattern WINDOWS =
            Pattern.compile("\\b[A-Za-z]:\\\\(?:[^\\\\\\s'\"()]+\\\\)+([^\\\\\\s'\"()]+)");

    private ErrorText() {}

    static String withoutDirectories(String message) {
        String m = POSIX.matcher(message).replaceAll("$1");
        return WINDOWS.matcher(m).replaceAll("$1");
    }
}
