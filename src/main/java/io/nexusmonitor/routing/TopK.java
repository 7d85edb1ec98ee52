package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code k} smallest backends under a comparator, in order, in one pass: O(n·k) with k the
 * retry budget (typically 3), cheaper than sorting a thousand candidates per request.
 */
final class TopK {
    private TopK() {
    }

    static List<Backend> smallest(List<Backend> items, int k, Comparator<Backend> order) {
        int limit = Math.min(k, items.size());
        Backend[] best = new Backend[limit];
        int size = 0;
        for (Backend b : items) {
            if (size < limit) {
                int i = size++;
                while (i > 0 && order.compare(b, best[i - 1]) < 0) {
                    best[i] = best[i - 1];
                    i--;
                }
                best[i] = b;
            } else if (limit > 0 && order.compare(b, best[limit - 1]) < 0) {
                int i = limit - 1;
                while (i > 0 && order.compare(b, best[i - 1]) < 0) {
                    best[i] = best[i - 1];
                    i--;
                }
                best[i] = b;
            }
        }
        List<Backend> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(best[i]);
        }
        return out;
    }
}
