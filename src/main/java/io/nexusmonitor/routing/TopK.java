package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The {@code k} routable backends with the smallest key, in order, in one pass over every backend
 * that lists the model (filtering and ranking together, so each snapshot is read once): O(n·k)
 * with k the retry budget (typically 3), each key computed once. Cheaper than sorting a thousand
 * candidates per request. The trust tier ranks first ({@link PriorityTrust}), then the key; equal
 * keys go to the smaller id, so choices are repeatable.
 */
final class TopK {
    private TopK() {}

    /** The best backends, best first, and how many routable ones there were to choose from. */
    record Result(List<Backend> best, int routable) {}

    static Result smallestRoutable(List<Backend> listed, int k, PriorityTrust trust, ToDoubleFunction<Backend> key) {
        return smallestRoutableIndexed(listed, k, trust, (b, i) -> key.applyAsDouble(b));
    }

    /** A key that also gets the backend's index in {@code listed}. */
    interface IndexedKey {
        double of(Backend b, int index);
    }

    static Result smallestRoutableIndexed(List<Backend> listed, int k, PriorityTrust trust, IndexedKey key) {
        Best best = new Best(Math.min(k, listed.size()));
        int routable = 0;
        int n = listed.size();
        for (int index = 0; index < n; index++) {
            Backend b = listed.get(index);
            if (!b.routable()) {
                continue;
            }
            routable++;
            best.offer(b, trust.tier(b), key.of(b, index));
        }
        return best.result(routable);
    }

    /** The {@code k} smallest offers so far, in order (for a caller that finds tier and key its own way). */
    static final class Best {
        private final int limit;
        private final Backend[] best;
        private final double[] keys;
        private final int[] tiers;
        private int size;

        Best(int limit) {
            this.limit = limit;
            this.best = new Backend[limit];
            this.keys = new double[limit];
            this.tiers = new int[limit];
        }

        void offer(Backend b, int t, double v) {
            if (size == limit && (limit == 0 || !less(t, v, b, tiers[limit - 1], keys[limit - 1], best[limit - 1]))) {
                return;
            }
            int i = size < limit ? size++ : limit - 1;
            while (i > 0 && less(t, v, b, tiers[i - 1], keys[i - 1], best[i - 1])) {
                best[i] = best[i - 1];
                keys[i] = keys[i - 1];
                tiers[i] = tiers[i - 1];
                i--;
            }
            best[i] = b;
            keys[i] = v;
            tiers[i] = t;
        }

        Result result(int routable) {
            List<Backend> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(best[i]);
            }
            return new Result(out, routable);
        }
    }

    private static boolean less(int t, double v, Backend b, int u, double w, Backend c) {
        return t < u || (t == u && (v < w || (v == w && b.id().compareTo(c.id()) < 0)));
    }
}
