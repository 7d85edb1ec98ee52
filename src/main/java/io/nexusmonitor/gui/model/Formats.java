package io.nexusmonitor.gui.model;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.Credential;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.ModelInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** How the window writes times, durations and lists; plain Java so the wording is unit-tested. */
public final class Formats {
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Formats() {}

    /** "removed in 0:42" (or "removed in 1:02:03"); "removing…" once the deadline has passed. */
    public static String countdown(@Nullable Instant deadline, Instant now) {
        if (deadline == null) {
            return "";
        }
        long seconds = (long) Math.ceil(Duration.between(now, deadline).toMillis() / 1000.0);
        if (seconds <= 0) {
            return "removing…";
        }
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        // built by hand, not String.format: it runs for every row in grace every second
        StringBuilder sb = new StringBuilder("removed in ");
        if (h > 0) {
            sb.append(h).append(':');
            twoDigits(sb, m);
        } else {
            sb.append(m);
        }
        sb.append(':');
        twoDigits(sb, s);
        return sb.toString();
    }

    private static void twoDigits(StringBuilder sb, long v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }

    /** Share of the grace period still left, 0..1, for the small progress bar. */
    public static double graceLeft(@Nullable Instant deadline, Instant now, Duration gracePeriod) {
        if (deadline == null) {
            return 0;
        }
        double left = Duration.between(now, deadline).toMillis();
        double total = Math.max((double) gracePeriod.toMillis(), left);
        return total <= 0 ? 0 : Math.max(0, Math.min(1, left / total));
    }

    public static String latency(@Nullable Double ms) {
        if (ms == null) {
            return "—";
        }
        return ms < 10 ? String.format("%.1f ms", ms) : Math.round(ms) + " ms";
    }

    /** How long ago: "just now" under a second, then "4 s ago", "3 min ago", "2 h ago", "5 d ago". */
    public static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 1) {
            return "just now";
        }
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        return s < 86_400 ? s / 3600 + " h ago" : s / 86_400 + " d ago";
    }

    /** Local wall-clock time of day, "—" for never. */
    public static String clock(@Nullable Instant t) {
        return t == null ? "—" : CLOCK.format(t);
    }

    public static String dateTime(@Nullable Instant t) {
        return t == null ? "—" : DATE_TIME.format(t);
    }

    /**
     * Requests in flight through the gateway against the backend's capacity: {@code 2 / 4}, or
     * {@code 2} while the capacity is not known.
     */
    public static String busy(Backend b) {
        Integer cap = b.capacity();
        return cap == null ? Long.toString(b.pendingRequests()) : b.pendingRequests() + " / " + cap;
    }

    /**
     * Capacity with where it came from and the share of traffic: {@code 4 (config)}, {@code 2 (server,
     * 1 busy there)}, {@code unknown}.
     */
    public static String capacity(BackendSettings s) {
        if (s.capacity() == null) {
            return "unknown" + (s.serverBusy() == null ? "" : " (" + s.serverBusy() + " busy, says the server)");
        }
        String from = switch (Objects.requireNonNull(s.capacitySource())) { // set with the capacity
            case CONFIG -> "config";
            case MDNS -> "mDNS TXT max_concurrent";
            case REMOTE -> "published by its site";
            case SERVER -> "reported by the server";
            case LEARNED -> "learned by the gateway";
        };
        return s.capacity() + " at once (" + from
                + (s.serverBusy() == null ? "" : "; " + s.serverBusy() + " busy, says the server") + ")";
    }

    /** What the details pane says about the key: never the key. */
    public static String credential(BackendSettings s) {
        Credential c = s.credential();
        String key = c == null || !s.hasKey() ? "none" : c.env() != null ? "set (from $" + c.env() + ")" : "set";
        return key + (s.forwardsClientAuth() ? "; the client's own Authorization is forwarded" : "");
    }

    /** One model per line for the tooltip, with what we know about it. */
    public static String modelList(List<ModelInfo> models) {
        if (models.isEmpty()) {
            return "no models";
        }
        return models.stream().map(Formats::model).collect(Collectors.joining("\n"));
    }

    public static String model(ModelInfo m) {
        StringBuilder sb = new StringBuilder(LogText.display(m.id()));
        if (Boolean.TRUE.equals(m.loaded())) {
            sb.append("  (loaded)");
        }
        if (m.contextLength() != null) {
            sb.append("  ctx ").append(m.contextLength());
        }
        if (!m.capabilities().isEmpty()) {
            sb.append("  [").append(String.join(", ", m.capabilities())).append(']');
        }
        return sb.toString();
    }
}
