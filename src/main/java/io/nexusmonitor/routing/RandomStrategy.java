package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** {@code random}: any routable backend with equal chance; the retries are other random ones, never the same twice. */
final class RandomStrategy implements SelectionStrategy {

    @Override
    public List<Candidate> select(String model, List<Backend> listed, int count) {
        List<Backend> routable = SelectionStrategy.routable(listed);
        int n = routable.size();
        int k = Math.min(count, n);
        Backend[] pool = routable.toArray(new Backend[0]);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Candidate> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            Backend picked = pool[j];
            pool[j] = pool[i];
            pool[i] = picked;
            out.add(new Candidate(picked, "random: 1 of " + (n - i)));
        }
        return out;
    }
}
