package io.nexusmonitor.api;

import java.util.HashSet;
import java.util.Set;

/**
 * Remembers which refused names (Host values, origins) were already logged, so each is logged
 * once; at most {@code capacity} names are kept, and the first name past that is reported as
 * "more are not logged" instead, so a flood of random names cannot grow memory or the log.
 */
final class SeenOnce {
    private final int capacity;
    private final Set<String> seen = new HashSet<>();
    private boolean full;

    SeenOnce(int capacity) {
        this.capacity = capacity;
    }

    enum Verdict {
        /** Not seen before: log it. */
        FIRST,
        /** Seen already, or past capacity after the overflow was reported: say nothing. */
        SEEN,
        /** The first name past capacity: log that further names go unlogged. */
        OVERFLOW
    }

    synchronized Verdict see(String name) {
        if (seen.contains(name)) {
            return Verdict.SEEN;
        }
        if (seen.size() >= capacity) {
            if (full) {
                return Verdict.SEEN;
            }
            full = true;
            return Verdict.OVERFLOW;
        }
        seen.add(name);
        return Verdict.FIRST;
    }

    /** A value fit for one log line: control characters escaped, at most 100 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return i < s.length() ? b + "..." : b.toString();
    }
}
