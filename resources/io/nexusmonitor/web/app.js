// The web view: the registry live from /api/events, the details of one backend, the gateway's
// telemetry and an event log; changes only with the token the user entered (session storage).

import { api, ApiFailure, setToken, token } from "./api.js";
import { TimeChart } from "./charts.js";
import { Details } from "./details.js";
import { connect } from "./events.js";
import { EventLog } from "./eventlog.js";
import { number, percent } from "./format.js";
import { BackendTable } from "./table.js";

const $ = (id) => document.getElementById(id);
const backends = new Map();
let selected = null;
let connection = { state: "connecting" };

const log = new EventLog($("log"));
const table = new BackendTable($("rows"), $("empty"), select);
const details = new Details($("details"), { onAction: act, onClose: () => select(null) });
const ttft = new TimeChart($("ttft-chart"), [
  { label: "p50", color: "--accent" },
  { label: "p95", color: "--draining" },
], { empty: "no requests through the gateway in the last minute", log: true });
const rate = new TimeChart($("rate-chart"), [
  { label: "requests", color: "--healthy" },
  { label: "tokens/s", color: "--asleep", scale: "tps" },
], { empty: "no requests through the gateway in the last minute" });

// --- what the page shows -------------------------------------------------------------------

/** When the grace period ends, in this browser's clock (the server's may differ). */
function withDeadline(b) {
  if (!b.grace) {
    b._deadline = null;
    return b;
  }
  const fromServer = Date.parse(b.grace.removal_at);
  const fromCount = Date.now() + b.grace.seconds_left * 1000;
  // seconds_left is rounded up: trust removal_at unless the two clocks disagree
  b._deadline = Math.abs(fromServer - fromCount) <= 1500 ? fromServer : fromCount;
  return b;
}

function summary() {
  const all = [...backends.values()];
  const count = (s) => all.filter((b) => b.status === s).length;
  const models = new Set(all.flatMap((b) => (b.models || []).map((m) => m.id)));
  const parts = [
    [count("healthy") + " / " + all.length, "healthy"],
    [String(models.size), "models"],
  ];
  for (const s of ["unhealthy", "loading", "asleep"]) if (count(s)) parts.push([String(count(s)), s]);
  const grace = all.filter((b) => b.grace).length;
  if (grace) parts.push([String(grace), "in grace period"]);
  const frag = document.createDocumentFragment();
  for (const [v, label] of parts) {
    const span = document.createElement("span");
    const bold = document.createElement("b");
    bold.textContent = v;
    span.append(bold, " " + label);
    frag.append(span);
  }
  $("summary").replaceChildren(frag);
}

function showBackend(b, flash) {
  backends.set(b.id, withDeadline(b));
  table.upsert(b, Date.now(), flash);
  if (selected === b.id) details.show(b);
}

function select(id) {
  selected = id && backends.has(id) ? id : null;
  table.select(selected);
  document.querySelector("main").classList.toggle("no-details", !selected);
  if (selected) details.show(backends.get(selected));
  else details.hide();
}

let notice = null;
function say(text, ok = false) {
  $("notice-text").textContent = text;
  $("notice").classList.toggle("ok", ok);
  $("notice").hidden = false;
  clearTimeout(notice);
  if (ok) notice = setTimeout(() => ($("notice").hidden = true), 5000);
}
$("notice-close").addEventListener("click", () => ($("notice").hidden = true));

function showConnection(now) {
  const badge = $("connection");
  const c = connection;
  badge.className = "connection " + (c.state === "unauthorized" ? "disconnected" : c.state);
  document.body.dataset.connection = c.state;
  if (c.state === "live") badge.textContent = "live";
  else if (c.state === "connecting") badge.textContent = "connecting…";
  else if (c.state === "unauthorized") badge.textContent = "disconnected: this server needs the token to show anything";
  else {
    const left = Math.max(0, Math.ceil((c.retryAt - now) / 1000));
    badge.textContent = "disconnected: " + c.reason + "; retrying in " + left + " s";
  }
}

// --- live updates --------------------------------------------------------------------------

let lastStats = 0;
const stream = connect({
  onState(state, detail) {
    const was = connection.state;
    connection = { state, ...(detail || {}) };
    if (detail && detail.retryInMs != null) connection.retryAt = Date.now() + detail.retryInMs;
    if (state === "live" && was !== "live") log.add("connected", "live updates from /api/events", "good");
    if (state === "disconnected" && was === "live") log.add("disconnected", connection.reason, "bad");
    if (state === "unauthorized") {
      say("This server shows its registry only with its token (guard_reads is on). Enter the token to continue.");
      openTokenDialog();
    }
    showConnection(Date.now());
  },
  onEvent(name, data) {
    if (name === "resync") {
      backends.clear();
      for (const b of data.backends || []) backends.set(b.id, withDeadline(b));
      table.replaceAll([...backends.values()], Date.now());
      log.add("loaded", backends.size + (backends.size === 1 ? " backend" : " backends") + " from the registry");
      if (selected && !backends.has(selected)) select(null);
      else if (selected) details.show(backends.get(selected));
      // the charts start from the last minute's figures at once, not from the first stats event
      api.stats("1m").then(plotStats, () => {});
    } else if (name === "stats") {
      lastStats = Date.now();
      plotStats(data);
    } else if (name === "backend_removed") {
      backends.delete(data.id);
      table.remove(data.id);
      if (selected === data.id) select(null);
      log.backendEvent(name, data);
    } else if (name.startsWith("backend_") || name.startsWith("grace_") || name === "status_changed") {
      const previous = backends.get(data.id);
      showBackend(data, name !== "backend_updated");
      if (name !== "backend_updated") log.backendEvent(name, data, previous);
    }
    summary();
  },
});

function plotStats(s) {
  const t = Date.now() / 1000;
  const total = s.total || {};
  ttft.push(t, total.ttft_ms?.p50 ?? null, total.ttft_ms?.p95 ?? null);
  rate.push(t, total.requests ?? 0, total.tokens_per_second ?? null);
}

async function pollStats() {
  // the minute window slides even when nothing happens: sample it when no stats event came
  if (Date.now() - lastStats >= 5000 && connection.state === "live") {
    try {
      plotStats(await api.stats("1m"));
    } catch {
      // shown by the connection badge
    }
  }
}

async function statsTable() {
  const w = $("stats-window").value;
  let s;
  try {
    s = await api.stats(w);
  } catch {
    return;
  }
  const tbl = $("stats-table");
  const head = document.createElement("tr");
  for (const h of ["backend", "requests", "errors", "TTFT p50", "TTFT p95", "duration p50", "tokens in / out", "tokens/s"]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  const rows = [head];
  const cell = (text) => {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  };
  for (const b of [...(s.backends || []), { backend: "all backends", ...s.total }]) {
    const tr = document.createElement("tr");
    tr.append(
      cell(b.backend),
      cell(String(b.requests)),
      cell(percent(b.error_rate)),
      cell(b.ttft_ms?.p50 == null ? "—" : number(b.ttft_ms.p50) + " ms"),
      cell(b.ttft_ms?.p95 == null ? "—" : number(b.ttft_ms.p95) + " ms"),
      cell(b.duration_ms?.p50 == null ? "—" : number(b.duration_ms.p50) + " ms"),
      cell(b.tokens_in + " / " + b.tokens_out + (b.estimated ? " (some estimated)" : "")),
      cell(number(b.tokens_per_second, 1)),
    );
    rows.push(tr);
  }
  tbl.replaceChildren(...rows);
}
$("stats-window").addEventListener("change", statsTable);

setInterval(() => {
  const now = Date.now();
  table.tick(now);
  details.tick(now);
  showConnection(now);
}, 1000);
setInterval(pollStats, 5000);
setInterval(statsTable, 10000);
statsTable();

// --- changes (the token) -------------------------------------------------------------------

const WORDS = { pin: "pinned", unpin: "unpinned", check: "checking", remove: "removed" };
let confirmRemove = null;

async function act(action, id, b) {
  if (action === "remove" && confirmRemove !== id) {
    confirmRemove = id;
    const btn = document.querySelector('#details-actions [data-action="remove"]');
    btn.textContent = "Click again to remove";
    setTimeout(() => {
      confirmRemove = null;
      btn.textContent = "Remove";
    }, 4000);
    return;
  }
  confirmRemove = null;
  document.querySelector('#details-actions [data-action="remove"]').textContent = "Remove";
  try {
    await api[action](id);
    say((b ? b.name : id) + ": " + WORDS[action] + ".", true);
  } catch (e) {
    refused(e);
  }
}

function refused(e) {
  const message = e instanceof ApiFailure ? e.message : String(e);
  const hint = e instanceof ApiFailure && e.status === 401 && !token() ? " Enter the token (top right) to make changes." : "";
  say("Refused: " + message + hint);
}

$("add-button").addEventListener("click", () => {
  $("add-form").hidden = !$("add-form").hidden;
  if (!$("add-form").hidden) $("add-form").elements.url.focus();
});
$("add-cancel").addEventListener("click", () => ($("add-form").hidden = true));
$("add-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const body = { url: f.url.value.trim() };
  if (f.name.value.trim()) body.name = f.name.value.trim();
  if (f.type.value) body.type = f.type.value;
  try {
    const b = await api.add(body);
    say("Added " + b.name + " (" + b.url + ").", true);
    e.target.reset();
    e.target.hidden = true;
  } catch (err) {
    refused(err);
  }
});

function tokenButton() {
  $("token-button").textContent = token() ? "Token set" : "Enter token";
}

function openTokenDialog() {
  const d = $("token-dialog");
  $("token-input").value = "";
  if (!d.open) d.showModal();
}

$("token-button").addEventListener("click", openTokenDialog);
$("token-cancel").addEventListener("click", () => $("token-dialog").close());
$("token-forget").addEventListener("click", () => {
  setToken("");
  tokenButton();
  $("token-dialog").close();
  say("Token forgotten: changes are refused until you enter it again.", true);
  stream.restart();
});
$("token-form").addEventListener("submit", (e) => {
  e.preventDefault();
  setToken($("token-input").value);
  tokenButton();
  $("token-dialog").close();
  if (token()) say("Token kept for this tab.", true);
  stream.restart();
  statsTable();
});

$("filter").addEventListener("input", (e) => table.setFilter(e.target.value));
$("log-clear").addEventListener("click", () => log.clear());

// a blocked script or style would be a bug of this page: say so where it can be seen
let violations = 0;
document.body.dataset.cspViolations = "0";
document.addEventListener("securitypolicyviolation", (e) => {
  violations++;
  document.body.dataset.cspViolations = String(violations);
  log.add("blocked", e.violatedDirective + " " + (e.blockedURI || "inline"), "bad");
});

tokenButton();
select(null);
summary();
showConnection(Date.now());
