package io.nexusmonitor.gui.notify;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.RegistryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides which found/removed notifications the user gets, so that a burst is one notice and a
 * flapping backend does not nag:
 * <ul>
 *   <li>changes that arrive within {@link #BURST} of the first one are shown together, once that
 *       window has passed ("5 backends found");</li>
 *   <li>the same change of the same backend (found, or removed) is not announced again within
 *       {@link #REPEAT_QUIET};</li>
 *   <li>{@code [notifications]} switches all of it, or one kind, off;</li>
 *   <li>a backend the user added by hand is not announced as found (they know), and neither are
 *       the config file's backends (the window does not offer start-up events at all).</li>
 * </ul>
 * Plain Java with the time passed in, so the rules are tested without a clock or a toolkit.
 * Thread-safe: events are offered from registry threads, notices are collected on the UI tick.
 */
public final class NoticePolicy {
    public static final Duration BURST = Duration.ofSeconds(2);
    public static final Duration REPEAT_QUIET = Duration.ofMinutes(1);

    private enum Change {
        FOUND,
        REMOVED,
        DEGRADED
    }

    private record Pending(Change change, String name, String id) {}

    private record Key(String id, Change change) {}

    private final NexusConfig.Notifications config;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<Key, Instant> lastAnnounced = new HashMap<>();
    private @Nullable Instant burstStart;

    public NoticePolicy(NexusConfig.Notifications config) {
        this.config = config;
    }

    /** Considers one registry event; only additions and removals can lead to a notice. */
    public synchronized void offer(RegistryEvent event) {
        Change change = switch (event.kind()) {
            case BACKEND_ADDED ->
                config.onFound() && event.backend().source() == BackendSource.MDNS ? Change.FOUND : null;
            case BACKEND_REMOVED -> config.onRemoved() ? Change.REMOVED : null;
            default -> null;
        };
        if (change == null || !config.enabled()) {
            return;
        }
        Instant now = event.at();
        Backend b = event.backend();
        Key key = new Key(b.id(), change);
        Instant last = lastAnnounced.get(key);
        if (last != null && Duration.between(last, now).compareTo(REPEAT_QUIET) < 0) {
            return;
        }
        lastAnnounced.put(key, now);
        forgetOlderThan(now.minus(REPEAT_QUIET));
        if (pending.isEmpty()) {
            burstStart = now;
        }
        pending.add(new Pending(change, LogText.of(b.name()), b.id()));
    }

    /**
     * A backend crossed a {@code [notifications] on_degraded} threshold ({@code why} says which);
     * shown with the burst it falls in, not again for the same backend within {@link #REPEAT_QUIET}.
     */
    public synchronized void offerDegraded(String backendUrl, String name, String why, Instant now) {
        if (!config.enabled() || !config.onDegraded()) {
            return;
        }
        Key key = new Key(backendUrl, Change.DEGRADED);
        Instant last = lastAnnounced.get(key);
        if (last != null && Duration.between(last, now).compareTo(REPEAT_QUIET) < 0) {
            return;
        }
        lastAnnounced.put(key, now);
        if (pending.isEmpty()) {
            burstStart = now;
        }
        pending.add(new Pending(Change.DEGRADED, LogText.of(name) + " (" + why + ")", backendUrl));
    }

    /** The notice for the burst that started at least {@link #BURST} before {@code now}, if any. */
    public synchronized Optional<Notice> due(Instant now) {
        if (pending.isEmpty() || Duration.between(burstStart, now).compareTo(BURST) < 0) {
            return Optional.empty();
        }
        List<String> found = new ArrayList<>();
        List<String> foundIds = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> degraded = new ArrayList<>();
        for (Pending p : pending) {
            (p.change() == Change.FOUND ? found : p.change() == Change.REMOVED ? removed : degraded).add(p.name());
            if (p.change() == Change.FOUND) {
                foundIds.add(p.id());
            }
        }
        pending.clear();
        burstStart = null;
        if (!degraded.isEmpty()) {
            String t = degraded.size() == 1 ? "1 backend degraded" : degraded.size() + " backends degraded";
            String head = found.isEmpty() && removed.isEmpty() ? "" : title(found.size(), removed.size()) + "; ";
            String rest = found.isEmpty() && removed.isEmpty() ? "" : body(found, removed) + "\n";
            return Optional.of(new Notice(
                    head + t, rest + "Degraded: " + names(degraded), foundIds, removed.size(), degraded.size()));
        }
        return Optional.of(
                new Notice(title(found.size(), removed.size()), body(found, removed), foundIds, removed.size(), 0));
    }

    private static String title(int found, int removed) {
        List<String> parts = new ArrayList<>(2);
        if (found > 0) {
            parts.add(found == 1 ? "1 backend found" : found + " backends found");
        }
        if (removed > 0) {
            parts.add(
                    found > 0
                            ? removed + " removed"
                            : removed == 1 ? "1 backend removed" : removed + " backends removed");
        }
        return String.join(", ", parts);
    }

    private static String body(List<String> found, List<String> removed) {
        StringBuilder sb = new StringBuilder();
        if (!found.isEmpty()) {
            sb.append("Found: ").append(names(found));
        }
        if (!removed.isEmpty()) {
            sb.append(sb.length() > 0 ? "\n" : "").append("Removed: ").append(names(removed));
        }
        return sb.toString();
    }

    /** Names, at most five, so a balloon stays readable. */
    private static String names(List<String> names) {
        if (names.size() <= 5) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }

    private void forgetOlderThan(Instant cutoff) {
        for (Iterator<Instant> it = lastAnnounced.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(cutoff)) {
                it.remove();
            }
        }
    }
}
