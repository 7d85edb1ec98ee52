package io.nexusmonitor.gui.theme;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** What the user chose in View → Theme, remembered in {@code window.json} as its wire word. */
public enum ThemeChoice {
    /** Follow the desktop's light/dark preference; light where none can be read. */
    SYSTEM("Follow the desktop"),
    /** Always light. */
    LIGHT("Light"),
    /** Always dark. */
    DARK("Dark");

    private final String label;

    ThemeChoice(String label) {
        this.label = label;
    }

    /** The menu text. */
    public String label() {
        return label;
    }

    /** {@code system}, {@code light}, {@code dark}: the word kept in {@code window.json}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice a saved word names; {@link #SYSTEM} for null or a word this version does not know. */
    public static ThemeChoice fromWire(@Nullable String word) {
        if (word != null) {
            for (ThemeChoice c : values()) {
                if (c.wire().equalsIgnoreCase(word.trim())) {
                    return c;
                }
            }
        }
        return SYSTEM;
    }

    /**
     * The appearance to show.
     *
     * @param desktop the desktop's preference, null when it states none or cannot be read
     */
    public Appearance resolve(@Nullable Appearance desktop) {
        return switch (this) {
            case LIGHT -> Appearance.LIGHT;
            case DARK -> Appearance.DARK;
            case SYSTEM -> desktop == null ? Appearance.LIGHT : desktop;
        };
    }
}
