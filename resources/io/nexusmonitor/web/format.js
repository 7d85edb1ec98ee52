// How the page writes times, durations and counts: the same words as the window
// (gui/model/Formats.java): "removed in 0:42", "2 / 4 busy", "4.2 ms".

/** "removed in 0:42" (or "removed in 1:02:03"); "removing…" once the deadline has passed. */
export function countdown(deadlineMs, nowMs) {
  if (deadlineMs == null) return "";
  const seconds = Math.ceil((deadlineMs - nowMs) / 1000);
  if (seconds <= 0) return "removing…";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (v) => (v < 10 ? "0" : "") + v;
  return "removed in " + (h > 0 ? h + ":" + two(m) : m) + ":" + two(s);
}

/** "4.2 ms", "120 ms", "—" when not measured. */
export function latency(ms) {
  if (ms == null) return "—";
  return ms < 10 ? ms.toFixed(1) + " ms" : Math.round(ms) + " ms";
}

/** Requests in flight against the capacity: "2 / 4 busy", or "2 busy" while the capacity is unknown. */
export function busy(b) {
  const n = b.pending_requests ?? 0;
  return (b.capacity == null ? String(n) : n + " / " + b.capacity) + " busy";
}

/** Local time of day, "—" for never. */
export function clock(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d) ? "—" : d.toLocaleTimeString([], { hour12: false });
}

export function dateTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d) ? "—" : d.toLocaleString([], { hour12: false });
}

/** "3 s ago", "4 min ago", for the last check. */
export function ago(iso, nowMs) {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  return Math.floor(s / 3600) + " h ago";
}

export function number(v, digits = 0) {
  return v == null ? "—" : Number(v).toFixed(digits);
}

export function percent(rate) {
  return rate == null ? "—" : (rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0) + " %";
}

/** What each event name means in the event log. */
export const EVENT_WORDS = {
  backend_added: "added",
  backend_updated: "updated",
  status_changed: "status changed",
  grace_started: "no longer announced",
  grace_cancelled: "announced again",
  backend_removed: "removed",
};
