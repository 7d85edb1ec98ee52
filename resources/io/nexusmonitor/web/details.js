// The details panel of one backend: every field, its actions, its last health checks as a chart,
// its gateway figures per window and its history (GET /api/backends/{id}).

import { api } from "./api.js";
import { TimeChart } from "./charts.js";
import { busy, clock, countdown, dateTime, latency, number, percent } from "./format.js";

const REFRESH_MS = 2000;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

export class Details {
  constructor(root, { onAction, onClose }) {
    this.root = root;
    this.fields = root.querySelector("#details-fields");
    this.history = root.querySelector("#details-history");
    this.statsTable = root.querySelector("#details-stats");
    this.caption = root.querySelector("#checks-caption");
    this.title = root.querySelector("#details-title");
    this.buttons = root.querySelectorAll("#details-actions button");
    this.checks = new TimeChart(
      root.querySelector("#checks-chart"),
      [{ label: "check round trip (ms)", color: "--accent", points: true }],
      { keep: 60, height: 130, empty: "no checks recorded yet" },
    );
    this.id = null;
    this.backend = null;
    this.timer = null;
    this.lastFetch = 0;
    for (const b of this.buttons) b.addEventListener("click", () => this.id && onAction(b.dataset.action, this.id, this.backend));
    root.querySelector("#details-close").addEventListener("click", onClose);
  }

  show(b) {
    const changed = this.id !== b.id;
    this.id = b.id;
    this.backend = b;
    this.root.hidden = false;
    this.render(b);
    if (changed) {
      this.history.replaceChildren();
      this.statsTable.replaceChildren();
      this.checks.set([]);
      this.fetchNow();
    } else {
      this.fetchSoon();
    }
  }

  hide() {
    this.id = null;
    this.backend = null;
    this.root.hidden = true;
    clearTimeout(this.timer);
  }

  /** The backend changed: re-read its history, at most every REFRESH_MS. */
  fetchSoon() {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFetch + REFRESH_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fetchNow();
    }, wait);
  }

  async fetchNow() {
    const id = this.id;
    if (!id) return;
    this.lastFetch = Date.now();
    try {
      const full = await api.backend(id);
      if (this.id !== id) return;
      this.renderHistory(full.history || []);
      this.renderStats(full.stats);
    } catch {
      // removed meanwhile, or unreachable: the table and the connection badge say so
    }
  }

  render(b) {
    this.title.textContent = b.name;
    const rows = [
      ["Status", b.status],
      ["URL", b.url, "mono"],
      ["Type", b.type],
      ["Source", b.source + (b.pinned ? ", pinned" : "") + (b.approved === false ? ", waiting for approval (pin it)" : "")],
      ["Priority", String(b.priority)],
      ["In flight", busy(b) + ", " + b.total_requests + " total"],
      ["Capacity", b.capacity == null ? "unknown" : b.capacity + " (" + b.capacity_source + ")"],
      ["Latency", latency(b.avg_latency_ms)],
      ["Last check", dateTime(b.last_health_check)],
      ["Last error", b.last_error || "—"],
    ];
    if (b.grace) rows.push(["Removal", countdown(b._deadline, Date.now()) + " (" + clock(b.grace.removal_at) + ")"]);
    if (b.config_location) rows.push(["Config", b.config_location, "mono"]);
    if (b.gpus) rows.push(["GPUs", [b.gpus.count && b.gpus.count + " ×", b.gpus.name, b.gpus.vram_mb && Math.round(b.gpus.vram_mb / 1024) + " GB"].filter(Boolean).join(" ")]);
    const models = (b.models || []).map((m) => m.id + (m.loaded === true ? " (loaded)" : "")).join(", ");
    rows.push(["Models", models || "none"]);
    if (b.mdns) {
      rows.push(["mDNS", b.mdns.instance, "mono"]);
      rows.push(["Host", b.mdns.host + " — " + (b.mdns.addresses || []).join(", "), "mono"]);
      const txt = Object.entries(b.mdns.txt || {}).map(([k, v]) => k + "=" + v).join("  ");
      if (txt) rows.push(["TXT", txt, "mono"]);
    }
    const frag = document.createDocumentFragment();
    for (const [k, v, cls] of rows) {
      frag.append(el("dt", null, k), el("dd", cls, v));
    }
    this.fields.replaceChildren(frag);
    for (const btn of this.buttons) {
      const a = btn.dataset.action;
      btn.hidden = (a === "pin" && b.pinned) || (a === "unpin" && !b.pinned);
      btn.disabled = (a === "remove" || a === "unpin") && b.source === "static";
      btn.title = btn.disabled ? "a backend from the config file stays; change it there" : "";
    }
  }

  tick(now) {
    if (this.backend && this.backend.grace) this.render(this.backend);
  }

  renderHistory(history) {
    const frag = document.createDocumentFragment();
    for (const h of [...history].reverse()) {
      const li = el("li");
      li.append(el("time", null, clock(h.at)), el("span", "status " + h.status, h.status), el("span", null, h.cause));
      frag.append(li);
    }
    this.history.replaceChildren(frag);
  }

  renderStats(stats) {
    if (!stats) return;
    const checks = stats.checks || [];
    this.checks.set(checks.map((c) => [Date.parse(c.at) / 1000, c.latency_ms]));
    const failed = checks.filter((c) => c.result !== "ok").length;
    this.caption.textContent = checks.length ? "last " + checks.length + (failed ? ", " + failed + " not ok" : ", all ok") : "";
    const head = el("tr");
    for (const h of ["window", "requests", "errors", "TTFT p50", "p95"]) head.append(el("th", null, h));
    const frag = document.createDocumentFragment();
    frag.append(head);
    for (const [w, s] of Object.entries(stats.windows || {})) {
      const tr = el("tr");
      tr.append(
        el("td", null, w),
        el("td", "num", String(s.requests)),
        el("td", "num", percent(s.error_rate)),
        el("td", "num", number(s.ttft_ms.p50)),
        el("td", "num", number(s.ttft_ms.p95)),
      );
      frag.append(tr);
    }
    this.statsTable.replaceChildren(frag);
  }
}
