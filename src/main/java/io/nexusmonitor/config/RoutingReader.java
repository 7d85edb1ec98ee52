package io.nexusmonitor.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tomlj.TomlArray;

/** {@code [routing]}: strategy, retries, and the alias and fallback tables, with alias loops refused. */
final class RoutingReader {
    private static final Map<String, NexusConfig.Strategy> STRATEGIES = new LinkedHashMap<>();

    static {
        for (NexusConfig.Strategy s : NexusConfig.Strategy.values()) {
            STRATEGIES.put(s.wire(), s);
        }
    }

    private RoutingReader() {}

    static NexusConfig.Routing read(TableReader t) {
        NexusConfig.Routing d = NexusConfig.Routing.defaults();
        NexusConfig.Strategy strategy = t.word("strategy", d.strategy(), STRATEGIES);
        int maxRetries = t.integer("max_retries", d.maxRetries(), 0, 100);
        Map<String, String> aliases =
                t.table("aliases").map(RoutingReader::aliases).orElse(Map.of());
        Map<String, List<String>> fallbacks =
                t.table("fallbacks").map(RoutingReader::fallbacks).orElse(Map.of());
        boolean trustAdded = t.bool("trust_added_priority", d.trustAddedPriority());
        double coldStart = t.integer("cold_start_seconds", (int) d.coldStartSeconds(), 0, 3600);
        NexusConfig.Queue queue = queue(t.tableOrEmpty("queue"));
        t.warnUnknownKeys();
        return new NexusConfig.Routing(strategy, maxRetries, aliases, fallbacks, trustAdded, coldStart, queue);
    }

    /** {@code [routing.queue]}: {@code max_size} waiting requests per model, {@code max_wait_seconds} each. */
    private static NexusConfig.Queue queue(TableReader t) {
        NexusConfig.Queue d = NexusConfig.Queue.defaults();
        int maxSize = t.integer("max_size", d.maxSize(), 0, 100_000);
        int maxWait = t.integer("max_wait_seconds", d.maxWaitSeconds(), 1, 3600);
        t.warnUnknownKeys();
        return new NexusConfig.Queue(maxSize, maxWait);
    }

    /** {@code "gpt-4" = "llama3:70b"}: chains (a -> b -> c) are fine, loops are not. */
    private static Map<String, String> aliases(TableReader t) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String from : t.keys()) {
            Object v = t.raw(from);
            if (v instanceof String && !((String) v).isBlank()) {
                out.put(from, ((String) v).trim());
            } else {
                t.error(
                        from,
                        "expected a model name (a non-empty string), found " + TableReader.describe(v)
                                + dottedKeyHint(v));
            }
        }
        reportLoops(t, out);
        return out;
    }

    /** Each loop once, at the first of its members that the file names. */
    private static void reportLoops(TableReader t, Map<String, String> aliases) {
        Set<String> reported = new HashSet<>();
        for (String start : aliases.keySet()) {
            List<String> chain = new ArrayList<>();
            String cur = start;
            while (cur != null && !chain.contains(cur)) {
                chain.add(cur);
                cur = aliases.get(cur);
            }
            if (cur == null) {
                continue;
            }
            List<String> loop = new ArrayList<>(chain.subList(chain.indexOf(cur), chain.size()));
            if (!loop.contains(start) || !reported.addAll(loop)) {
                continue;
            }
            loop.add(cur);
            t.error(
                    start,
                    "alias loop: " + String.join(" -> ", loop)
                            + " (an alias may point to another alias, but must end at a model)");
        }
    }

    /** {@code "llama3:70b" = ["qwen2:72b"]}: models to try, in order. */
    private static Map<String, List<String>> fallbacks(TableReader t) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String model : t.keys()) {
            Object v = t.raw(model);
            if (!(v instanceof TomlArray)) {
                t.error(model, "expected an array of model names, found " + TableReader.describe(v) + dottedKeyHint(v));
                continue;
            }
            List<String> list = t.checkedStrings((TomlArray) v, t.pathOf(model), s -> {
                if (s.isBlank()) {
                    return TableReader.Checked.bad("expected a model name, found an empty string");
                }
                if (s.trim().equals(model)) {
                    return TableReader.Checked.bad("a model cannot fall back to itself");
                }
                return TableReader.Checked.ok(s.trim());
            });
            out.put(model, List.copyOf(list));
        }
        return out;
    }

    /** A bare key with a dot ({@code llama3.1 = ...}) makes a nested table; say how to write it. */
    private static String dottedKeyHint(Object v) {
        return v instanceof org.tomlj.TomlTable ? " (quote model names that contain dots: \"llama3.1\" = ...)" : "";
    }
}
