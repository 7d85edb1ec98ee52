package io.nexusmonitor.gui.window;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code window.json} in the state dir remembers between runs.
 *
 * @param x            null: let the desktop place the window
 * @param columnWidths by column id ({@code name}, {@code url}, ...)
 * @param sort         the table's sort order, first key first
 * @param dividers     split-pane divider positions (table|details, top|log), 0..1
 * @param theme        View → Theme: {@code system}, {@code light} or {@code dark} ({@code ThemeChoice})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WindowState(
        @Nullable Double x,
        @Nullable Double y,
        double width,
        double height,
        boolean maximized,
        Map<String, Double> columnWidths,
        List<SortKey> sort,
        List<Double> dividers,
        String theme) {

    public WindowState {
        columnWidths = columnWidths == null ? Map.of() : Map.copyOf(columnWidths);
        sort = sort == null ? List.of() : List.copyOf(sort);
        dividers = dividers == null ? List.of() : List.copyOf(dividers);
        theme = io.nexusmonitor.gui.theme.ThemeChoice.fromWire(theme).wire(); // a file from before themes: system
    }

    /** One sort key: a column id and its direction. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SortKey(String column, boolean ascending) {}

    /** The first run: a comfortable size, placed by the desktop, sorted by status then name. */
    public static WindowState defaults() {
        return new WindowState(
                null,
                null,
                1360,
                800,
                false,
                Map.of(),
                List.of(new SortKey("status", true), new SortKey("name", true)),
                List.of(0.75, 0.72),
                "system");
    }
}
