package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code random}: any routable backend with equal chance; the retries are other random ones, never
 * the same twice. Config backends are drawn first while one of them is routable ({@link PriorityTrust}).
 */
final class RandomStrategy implements SelectionStrategy {
    private final PriorityTrust trust;

    RandomStrategy() {
        this(PriorityTrust.CONFIG_FIRST);
    }

    RandomStrategy(PriorityTrust trust) {
        this.trust = trust;
    }

    @Override
    public List<Candidate> select(String model, List<Backend> listed, int count) {
        List<Candidate> out = new ArrayList<>(count);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (List<Backend> routable : SelectionStrategy.routableByTier(listed, trust)) {
            int n = routable.size();
            Backend[] pool = routable.toArray(new Backend[0]);
            for (int i = 0; i < n && out.size() < count; i++) {
                int j = i + random.nextInt(n - i);
                Backend picked = pool[j];
                pool[j] = pool[i];
                pool[i] = picked;
                out.add(new Candidate(picked, "random: 1 of " + (n - i) + trust.note(picked)));
            }
        }
        return out;
    }
}
