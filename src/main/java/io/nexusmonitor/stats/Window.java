package io.nexusmonitor.stats;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The rolling windows the figures are given over. A window of {@code n} minutes is made of the
 * minute buckets that started within its span (so it covers between {@code n} and {@code n + 1}
 * minutes); 24 h is made of hour buckets the same way.
 */
public enum Window {
    M1("1m", 1, false),
    M15("15m", 15, false),
    H1("1h", 60, false),
    H24("24h", 24, true);

    private final String wire;
    private final int units;
    private final boolean hours;

    Window(String wire, int units, boolean hours) {
        this.wire = wire;
        this.units = units;
        this.hours = hours;
    }

    public String wire() {
        return wire;
    }

    /** How many buckets back from the current one (the current included: {@code units + 1} buckets). */
    int units() {
        return units;
    }

    boolean hours() {
        return hours;
    }

    public long millis() {
        return units * (hours ? 3_600_000L : 60_000L);
    }

    /** {@code 1m}, {@code 15m}, {@code 1h} or {@code 24h}; null for anything else. */
    public static @Nullable Window parse(@Nullable String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim().toLowerCase(Locale.ROOT);
        for (Window w : values()) {
            if (w.wire.equals(t)) {
                return w;
            }
        }
        return null;
    }
}
