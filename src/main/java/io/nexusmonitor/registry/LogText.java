package io.nexusmonitor.registry;

import org.jspecify.annotations.Nullable;

/**
 * Makes text from the network (names, model ids, TXT values, instance names, URLs) safe to put in
 * a log line or the window's event log: control characters and escape sequences are written as
 * visible escapes ({@code \n}, {@code \u001b}), so a name cannot start a forged log line, recolour
 * a terminal or reorder text with bidi overrides; long values are cut at {@value #MAX_CHARS}
 * characters plus {@code …}.
 *
 * <p>Escaped: C0 controls and DEL, C1 controls (which include the 8-bit CSI), the line and
 * paragraph separators U+2028/U+2029, the bidi embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069, U+200E/U+200F, U+061C), and unpaired surrogates. A backslash is doubled, so an
 * escape in the output always means the input held that character.
 */
public final class LogText {
    /** Longest value kept whole; longer ones are cut and end with {@code …}. */
    public static final int MAX_CHARS = 200;

    private LogText() {}

    /** {@code value} escaped and cut; {@code "null"} for null, like SLF4J would print it. */
    public static String of(@Nullable Object value) {
        return of(value, MAX_CHARS);
    }

    /**
     * {@code value} escaped like {@link #of(Object)} but never cut: text from the network as the
     * window shows it (table cells, the details pane), where a NUL or a bidi override would hide
     * or reorder what the user reads. The cell, not this, shortens what does not fit.
     */
    public static String display(@Nullable Object value) {
        return of(value, Integer.MAX_VALUE);
    }

    /** Like {@link #of(Object)} with another length limit (counted in input characters). */
    public static String of(@Nullable Object value, int maxChars) {
        if (value == null) {
            return "null";
        }
        String s = value.toString();
        boolean cut = s.length() > maxChars;
        int end = cut ? maxChars : s.length();
        if (cut && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--; // never split a pair: half of one would be escaped as garbage
        }
        if (!cut && isClean(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(end + 8);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
                continue;
            }
            escape(c, out);
        }
        if (cut) {
            out.append('…');
        }
        return out.toString();
    }

    private static boolean isClean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || needsEscape(c)) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                return false; // checked pair by pair in the slow path
            }
        }
        return true;
    }

    private static void escape(char c, StringBuilder out) {
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (needsEscape(c) || Character.isSurrogate(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }

    private static boolean needsEscape(char c) {
        return c < 0x20
                || c == 0x7f
                || (c >= 0x80 && c <= 0x9f)
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e'
                || c == '\u200f'
                || c == '\u061c';
    }
}
