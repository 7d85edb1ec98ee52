package io.nexusmonitor.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the end-to-end benches share: {@code key=value} arguments and nearest-rank percentiles. */
final class BenchStats {
    private BenchStats() {}

    /** {@code defaults} overridden by {@code key=value} arguments, in the defaults' order. */
    static Map<String, String> options(Map<String, String> defaults, String[] args) {
        Map<String, String> opts = new LinkedHashMap<>(defaults);
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opts.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return opts;
    }

    /** The nearest-rank percentile {@code p} (0-100) of {@code samples}, 0 with none; the list is not changed. */
    static long percentile(List<Long> samples, double p) {
        synchronized (samples) {
            if (samples.isEmpty()) {
                return 0;
            }
            List<Long> sorted = new ArrayList<>(samples);
            sorted.sort(null);
            int rank = (int) Math.ceil(p / 100 * sorted.size());
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
        }
    }
}
