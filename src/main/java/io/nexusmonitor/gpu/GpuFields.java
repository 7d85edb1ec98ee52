package io.nexusmonitor.gpu;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** Number fields as GPU tools print them: {@code [N/A]}, {@code [Not Supported]}, {@code N/A} and blanks mean "not known". */
final class GpuFields {
    private static final long MIB = 1024L * 1024L;

    private GpuFields() {}

    /** A whole or decimal number (decimals rounded down), null when absent, a placeholder or not a number. */
    static @Nullable Long number(@Nullable String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (placeholder(t)) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(t);
            if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                return null;
            }
            return d.longValue();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Blank, {@code N/A} or a bracketed note such as {@code [Not Supported]}. */
    static boolean placeholder(String s) {
        String t = s.strip();
        return t.isEmpty() || t.startsWith("[") || t.equalsIgnoreCase("N/A");
    }

    static @Nullable Integer percentOrDegrees(@Nullable String s) {
        Long v = number(s);
        return v == null || v > 1000 ? null : v.intValue();
    }

    static @Nullable Long bytesToMib(@Nullable Long bytes) {
        return bytes == null ? null : bytes / MIB;
    }
}
