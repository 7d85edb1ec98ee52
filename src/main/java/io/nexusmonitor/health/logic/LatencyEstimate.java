package io.nexusmonitor.health.logic;

import java.util.Arrays;

/**
 * One backend's shown latency: the median of its last {@link #WINDOW} answer times. A median, not
 * an average, so one slow answer (a garbage collection here, a busy moment there) moves nothing,
 * and a change the backend keeps shows after three checks. The samples are answer times only
 * (request out to last byte, {@link ProbeRun}), and the very first one of a backend is never among
 * them: its check repeats the request on the open connection and keeps the second figure
 * ({@link ProbeRun#warmingUp}), so the monitor's own warm-up (class loading, a new connection) is
 * not reported as the backend's. That figure is shown only until the next check's replaces it: the
 * check every backend gets when it is added is, at start-up, one of a burst (100 backends at once
 * measured 12-24 ms for nginx answering in 0.25 ms) on a JVM not yet warm.
 *
 * <p>Not thread-safe: one backend has one check in flight, and only that check adds.
 */
public final class LatencyEstimate {
    /** Samples kept: five checks, 2.5 minutes at the default 30 s interval. */
    public static final int WINDOW = 5;

    private final double[] samples = new double[WINDOW];
    private final double[] sorted = new double[WINDOW];
    private int count;
    private int next;
    /** True while the only sample is the first one (the warm-up check's), which the next replaces. */
    private boolean firstOnly;

    /** True until the first sample: the next check should warm up first. */
    public boolean empty() {
        return count == 0;
    }

    /** Adds one answer time and returns the figure to show. */
    public double add(double ms) {
        if (!(ms >= 0) || Double.isInfinite(ms)) {
            throw new IllegalArgumentException(
                    "a latency sample must be a finite number of milliseconds >= 0, not " + ms);
        }
        if (firstOnly) {
            // the first sample gives way to the second (see the class comment)
            count = 0;
            next = 0;
            firstOnly = false;
        } else if (count == 0) {
            firstOnly = true;
        }
        samples[next] = ms;
        next = (next + 1) % WINDOW;
        count = Math.min(WINDOW, count + 1);
        return median();
    }

    /** The figure to show; NaN before the first sample. */
    public double median() {
        if (count == 0) {
            return Double.NaN;
        }
        System.arraycopy(samples, 0, sorted, 0, count);
        Arrays.sort(sorted, 0, count);
        int mid = count / 2;
        return count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
