package io.nexusmonitor.config;

/**
 * One thing wrong (or suspicious) in a config file.
 *
 * @param keyPath  {@code health_check.interval_seconds}, {@code backends[2].url}
 * @param line     1-based, 0 when unknown
 * @param column   1-based, 0 when unknown
 * @param message  what was found and what was expected
 */
public record ConfigProblem(String file, String keyPath, int line, int column, String message) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
        }
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        if (sb.length() > 0) {
            sb.append(": ");
        }
        if (keyPath != null && !keyPath.isEmpty()) {
            sb.append(keyPath).append(": ");
        }
        return sb.append(message).toString();
    }
}
