package io.nexusmonitor.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Typed, defaulting access to one TOML table. A value of the wrong type or out of range is
 * reported (with its position and what was expected) and the default is used, so reading goes on
 * and every problem of the file comes out in one run. Keys nobody asked for are reported by
 * {@link #warnUnknownKeys()}.
 */
final class TableReader {
    private final Diagnostics diagnostics;
    private final TomlTable table;
    private final String path;
    private final String schemaPath;
    private final @Nullable TomlPosition position;
    private final Set<String> asked = new HashSet<>();

    /**
     * @param path       where this table is, for messages: {@code server}, {@code backends[1]}; "" for the root
     * @param schemaPath the same with indexes erased ({@code backends[]}), for the list of known keys
     * @param position   where the table starts, null for the root
     */
    TableReader(
            Diagnostics diagnostics, TomlTable table, String path, String schemaPath, @Nullable TomlPosition position) {
        this.diagnostics = diagnostics;
        this.table = table;
        this.path = path;
        this.schemaPath = schemaPath;
        this.position = position;
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    /** The key path of {@code key} in this table, quoted where TOML needs it: {@code routing.aliases."llama3.1"}. */
    String pathOf(String key) {
        String k = Toml.joinKeyPath(List.of(key));
        return path.isEmpty() ? k : path + "." + k;
    }

    @Nullable
    TomlPosition positionOf(String key) {
        TomlPosition p = table.inputPositionOf(List.of(key));
        return p != null ? p : position;
    }

    boolean has(String key) {
        return table.get(List.of(key)) != null;
    }

    Set<String> keys() {
        return table.keySet();
    }

    Object raw(String key) {
        return table.get(List.of(key));
    }

    void error(String key, String message) {
        diagnostics.error(pathOf(key), positionOf(key), message);
    }

    /** Marks a key as one the loader reads, without reading it (tables of user-chosen keys). */
    void declare(String key) {
        asked.add(key);
        diagnostics.known(schemaPath.isEmpty() ? key : schemaPath + "." + key);
    }

    Optional<String> optionalString(String key) {
        declare(key);
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String)) {
            error(key, "expected a string, found " + describe(v));
            return Optional.empty();
        }
        return Optional.of((String) v);
    }

    String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    boolean bool(String key, boolean defaultValue) {
        declare(key);
        Object v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Boolean)) {
            error(key, "expected true or false, found " + describe(v));
            return defaultValue;
        }
        return (Boolean) v;
    }

    /** An integer in {@code [min, max]}; {@code max == Integer.MAX_VALUE} means "no upper bound". */
    int integer(String key, int defaultValue, int min, int max) {
        declare(key);
        Object v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        String expected =
                max == Integer.MAX_VALUE ? "an integer of at least " + min : "an integer from " + min + " to " + max;
        if (!(v instanceof Long)) {
            error(key, "expected " + expected + ", found " + describe(v));
            return defaultValue;
        }
        long n = (Long) v;
        if (n < min || n > max) {
            error(key, "expected " + expected + ", found " + n);
            return defaultValue;
        }
        return (int) n;
    }

    /** One word of a fixed set, case-insensitive; an unknown word is reported with the choices. */
    <T> T word(String key, T defaultValue, Map<String, T> choices) {
        Optional<String> s = optionalString(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        T t = choices.get(s.get().trim().toLowerCase(Locale.ROOT));
        if (t == null) {
            error(key, "expected one of " + String.join(" | ", choices.keySet()) + ", found \"" + s.get() + "\"");
            return defaultValue;
        }
        return t;
    }

    /**
     * An array of strings, each checked (and possibly rewritten) by {@code element}, which returns
     * an error message on the left or the value to keep on the right.
     */
    List<String> strings(String key, List<String> defaultValue, Function<String, Checked> element) {
        declare(key);
        Object v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof TomlArray)) {
            error(key, "expected an array of strings, found " + describe(v));
            return defaultValue;
        }
        return checkedStrings((TomlArray) v, pathOf(key), element);
    }

    /** Checks every element of an array of strings; bad elements are reported and dropped. */
    List<String> checkedStrings(TomlArray array, String arrayPath, Function<String, Checked> element) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object e = array.get(i);
            String at = arrayPath + "[" + i + "]";
            if (!(e instanceof String)) {
                diagnostics.error(at, array.inputPositionOf(i), "expected a string, found " + describe(e));
                continue;
            }
            Checked c = element.apply((String) e);
            if (c.error() != null) {
                diagnostics.error(at, array.inputPositionOf(i), c.error());
            } else {
                out.add(c.value());
            }
        }
        return out;
    }

    /** A sub-table ({@code [server]} or an inline table); absent = empty; another type is an error. */
    Optional<TableReader> table(String key) {
        declare(key);
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof TomlTable)) {
            error(key, "expected a table ([" + pathOf(key) + "]), found " + describe(v));
            return Optional.empty();
        }
        String p = pathOf(key);
        String sp = schemaPath.isEmpty() ? key : schemaPath + "." + key;
        return Optional.of(new TableReader(diagnostics, (TomlTable) v, p, sp, positionOf(key)));
    }

    /**
     * A sub-table that is read whether present or not (an absent one reads as empty, so its keys
     * count as known for {@link ConfigLoader#knownKeys()}); another type is an error and reads as empty.
     */
    TableReader tableOrEmpty(String key) {
        Optional<TableReader> t = table(key);
        if (t.isPresent()) {
            return t.get();
        }
        String sp = schemaPath.isEmpty() ? key : schemaPath + "." + key;
        return new TableReader(diagnostics, Toml.parse(""), pathOf(key), sp, positionOf(key));
    }

    /** Warns once for every key of this table that no reader asked for, suggesting a near known key. */
    void warnUnknownKeys() {
        for (String key : table.keySet()) {
            if (asked.contains(key)) {
                continue;
            }
            String hint = KeySuggestion.nearest(key, asked)
                    .map(k -> " (did you mean " + k + "?)")
                    .orElse("");
            diagnostics.warning(pathOf(key), positionOf(key), "unknown key, ignored" + hint);
        }
    }

    /** "a string (\"x\")", "an integer (3)", "a table", ... for messages. */
    static String describe(Object v) {
        if (v instanceof String) {
            return "a string (\"" + v + "\")";
        }
        if (v instanceof Long) {
            return "an integer (" + v + ")";
        }
        if (v instanceof Double) {
            return "a float (" + v + ")";
        }
        if (v instanceof Boolean) {
            return "a boolean (" + v + ")";
        }
        if (v instanceof TomlArray) {
            return "an array";
        }
        if (v instanceof TomlTable) {
            return "a table";
        }
        return "a date/time (" + v + ")";
    }

    /** The outcome of checking one value: an error message, or the value to keep. */
    record Checked(@Nullable String value, @Nullable String error) {
        static Checked ok(String value) {
            return new Checked(value, null);
        }

        static Checked bad(String error) {
            return new Checked(null, error);
        }
    }
}
