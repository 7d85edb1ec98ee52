package io.nexusmonitor.stats;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * What the gateway and the health checks measured, in one place the API, the metrics, the
 * history and the window read: {@link RequestStats} for requests, {@link Heartbeats} for checks.
 * {@link #listener()} is what the proxy path hands each finished request to; it records and
 * passes the record on to the extra listeners (the Prometheus series), nothing more.
 */
public final class Telemetry {
    private final RequestStats requests;
    private final Heartbeats heartbeats = new Heartbeats();
    private final List<RequestListener> extra = new CopyOnWriteArrayList<>();
    private final RequestListener listener;

    public Telemetry(LongSupplier clockMillis) {
        this.requests = new RequestStats(clockMillis);
        this.listener = r -> {
            requests.finished(r);
            for (RequestListener l : extra) {
                l.finished(r);
            }
        };
    }

    public Telemetry() {
        this(System::currentTimeMillis);
    }

    public RequestStats requests() {
        return requests;
    }

    public Heartbeats heartbeats() {
        return heartbeats;
    }

    /** The one listener the proxy path calls per finished request. */
    public RequestListener listener() {
        return listener;
    }

    /** Another consumer of every finished request (called on the proxy's thread: record and return). */
    public void addListener(RequestListener l) {
        extra.add(l);
    }

    public void removeListener(RequestListener l) {
        extra.remove(l);
    }

    /** Changes whenever a request or a check was recorded. */
    public long version() {
        return requests.version() * 31 + heartbeats.version();
    }

    /**
     * The tray's line: generation speed over the last minute and requests waiting, e.g.
     * {@code "42 tokens/s · 3 queued"} ({@code "no tokens in the last minute"} when idle); the tray
     * tooltip shows it after the backends ({@code gui/desktop/TrayState}). Merges the last minute's
     * buckets: call it off the FX thread.
     */
    public String trayText(int queued) {
        double tps = requests.tokensPerSecondNow();
        String speed = tps <= 0
                ? "no tokens in the last minute"
                : (tps >= 10
                                ? String.format(java.util.Locale.ROOT, "%.0f", tps)
                                : String.format(java.util.Locale.ROOT, "%.1f", tps))
                        + " tokens/s";
        return queued > 0 ? speed + " · " + queuedText(queued) : speed;
    }

    /** {@code "2 queued"}, empty for none: the one wording of the queue for the status bar and the tray. */
    public static String queuedText(int n) {
        return n <= 0 ? "" : n + " queued";
    }
}
