package io.nexusmonitor.config;

import java.util.Collection;
import java.util.Optional;

/** "did you mean host?" for a misspelt or shortened key. */
final class KeySuggestion {
    private KeySuggestion() {}

    /** The known key the unknown one most likely meant: one it abbreviates, or one a few edits away. */
    static Optional<String> nearest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known.stream().sorted().toList()) {
            if (key.length() >= 3 && k.startsWith(key)) {
                return Optional.of(k);
            }
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // a third of the word may be wrong, at least two edits: "hots" -> "host", "alias" -> "aliases"
        int allowed = Math.max(2, key.length() / 3);
        return best != null && bestDistance <= allowed && bestDistance < key.length()
                ? Optional.of(best)
                : Optional.empty();
    }

    /** Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
