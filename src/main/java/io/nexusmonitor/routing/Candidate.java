package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One backend to try, in the order the strategy chose.
 *
 * <p>{@link #reason()}: why it was picked, for {@code X-Nexus-Route-Reason}
 * ({@code mid: qwen2:7b loaded, 1/2 busy, predicted first token 0.3 s}). A strategy may give it as
 * a supplier: the text is then built the first time it is asked for (only for the candidate that
 * answers, not for every retry in the plan) and kept.
 * {@link #free()}: whether it has a free slot now (requests in flight below its capacity, or
 * capacity unknown). {@link #predictedMs()}: {@code smart}'s predicted time to first token, NaN
 * for the other strategies.
 */
public final class Candidate {
    private final Backend backend;
    private final boolean free;
    private final double predictedMs;
    private @Nullable Supplier<String> reasonSource; // set until the reason is built
    private volatile @Nullable String reason; // or this, from the start

    public Candidate(Backend backend, String reason, boolean free, double predictedMs) {
        this.backend = backend;
        this.reason = Objects.requireNonNull(reason);
        this.free = free;
        this.predictedMs = predictedMs;
    }

    public Candidate(Backend backend, String reason) {
        this(backend, reason, true, Double.NaN);
    }

    /** A candidate whose reason is built on first use, from figures the supplier has captured. */
    Candidate(Backend backend, Supplier<String> reason, boolean free, double predictedMs) {
        this.backend = backend;
        this.reasonSource = Objects.requireNonNull(reason);
        this.free = free;
        this.predictedMs = predictedMs;
    }

    private Candidate(Candidate c, boolean free) {
        this.backend = c.backend;
        this.reason = c.reason;
        this.reasonSource = c.reasonSource;
        this.free = free;
        this.predictedMs = c.predictedMs;
    }

    public Backend backend() {
        return backend;
    }

    public String reason() {
        String r = reason;
        if (r == null) {
            synchronized (this) {
                r = reason;
                if (r == null) {
                    r = Objects.requireNonNull(reasonSource).get(); // every constructor sets one of the two
                    reason = r;
                    reasonSource = null;
                }
            }
        }
        return r;
    }

    public boolean free() {
        return free;
    }

    public double predictedMs() {
        return predictedMs;
    }

    Candidate withFree(boolean f) {
        return new Candidate(this, f);
    }

    @Override
    public String toString() {
        return "Candidate[backend=" + backend.id() + ", reason=" + reason() + ", free=" + free + ", predictedMs="
                + predictedMs + "]";
    }
}
