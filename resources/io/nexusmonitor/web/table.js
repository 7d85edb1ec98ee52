// The live table: one row per backend, kept in the registry's order (oldest first), updated in
// place. Every text is set with textContent: names, URLs and model ids come from the LAN.

import { busy, countdown, latency } from "./format.js";

const MAX_MODEL_CHIPS = 4;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

/** The words of a row, for the filter. */
function searchText(b) {
  return [b.name, b.url, b.type, b.status, b.source, ...(b.models || []).map((m) => m.id)]
    .join(" ")
    .toLowerCase();
}

export class BackendTable {
  constructor(tbody, emptyNote, onSelect) {
    this.tbody = tbody;
    this.emptyNote = emptyNote;
    this.onSelect = onSelect;
    this.rows = new Map(); // id -> <tr>
    this.filter = "";
    this.selected = null;
    tbody.addEventListener("click", (e) => {
      const tr = e.target.closest("tr");
      if (tr && tr.dataset.id) this.onSelect(tr.dataset.id);
    });
    tbody.addEventListener("keydown", (e) => {
      const tr = e.target.closest("tr");
      if (tr && tr.dataset.id && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        this.onSelect(tr.dataset.id);
      }
    });
  }

  /** Shows exactly these backends (a resync). */
  replaceAll(backends, now) {
    const keep = new Set(backends.map((b) => b.id));
    for (const [id, tr] of this.rows) {
      if (!keep.has(id)) {
        tr.remove();
        this.rows.delete(id);
      }
    }
    for (const b of backends) this.upsert(b, now, false);
    this.refreshEmpty();
  }

  upsert(b, now, flash = true) {
    let tr = this.rows.get(b.id);
    if (!tr) {
      tr = el("tr");
      tr.dataset.id = b.id;
      tr.tabIndex = 0;
      for (const cls of ["status-cell", "name", "type", "source-cell", "models-cell", "num latency", "num inflight", "countdown"]) {
        tr.appendChild(el("td", cls));
      }
      tr.children[1].append(el("div", "name-text"), el("div", "url"));
      this.tbody.appendChild(tr);
      this.rows.set(b.id, tr);
    }
    this.fill(tr, b, now);
    tr.classList.toggle("selected", b.id === this.selected);
    tr.hidden = !this.matches(b);
    if (flash) {
      tr.classList.remove("flash");
      void tr.offsetWidth; // restart the animation
      tr.classList.add("flash");
    }
    this.refreshEmpty();
  }

  remove(id) {
    const tr = this.rows.get(id);
    if (tr) {
      tr.remove();
      this.rows.delete(id);
    }
    this.refreshEmpty();
  }

  fill(tr, b, now) {
    tr.backend = b;
    tr.dataset.status = b.status;
    const [statusTd, nameTd, typeTd, sourceTd, modelsTd, latTd, busyTd] = tr.children;
    statusTd.replaceChildren(el("span", "status " + b.status, b.status));
    nameTd.firstChild.textContent = b.name;
    nameTd.lastChild.textContent = b.url;
    typeTd.textContent = b.type;
    const src = el("span", "source", b.source);
    if (b.pinned) {
      const pin = el("span", "pin", "pinned");
      pin.title = "pinned: never removed by discovery, restored on the next start";
      src.appendChild(pin);
    }
    sourceTd.replaceChildren(src);
    const models = el("div", "models");
    const list = b.models || [];
    const shown = [...list].sort((x, y) => (y.loaded === true) - (x.loaded === true)).slice(0, MAX_MODEL_CHIPS);
    for (const m of shown) {
      const chip = el("span", "model" + (m.loaded === true ? " loaded" : ""), m.id);
      chip.title = m.id + (m.loaded === true ? " (loaded)" : m.loaded === false ? " (not loaded)" : "")
        + (m.context_length ? ", context " + m.context_length : "");
      models.appendChild(chip);
    }
    if (list.length > shown.length) {
      const more = el("span", "more", "+" + (list.length - shown.length) + " more");
      more.title = list.map((m) => m.id + (m.loaded === true ? " (loaded)" : "")).join("\n");
      models.appendChild(more);
    }
    if (list.length === 0) models.appendChild(el("span", "more", "no models"));
    modelsTd.replaceChildren(models);
    latTd.textContent = latency(b.avg_latency_ms);
    busyTd.textContent = busy(b);
    this.tickRow(tr, now);
  }

  /** Once a second: the countdown of every backend in its grace period. */
  tick(now) {
    for (const tr of this.rows.values()) this.tickRow(tr, now);
  }

  tickRow(tr, now) {
    const b = tr.backend;
    tr.children[7].textContent = b && b._deadline != null ? countdown(b._deadline, now) : "";
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    for (const tr of this.rows.values()) tr.hidden = !this.matches(tr.backend);
    this.refreshEmpty();
  }

  select(id) {
    this.selected = id;
    for (const [rid, tr] of this.rows) tr.classList.toggle("selected", rid === id);
  }

  matches(b) {
    return !this.filter || searchText(b).includes(this.filter);
  }

  refreshEmpty() {
    const visible = [...this.rows.values()].filter((tr) => !tr.hidden).length;
    if (this.rows.size === 0) {
      this.emptyNote.textContent =
        "No backends yet. Servers that announce themselves by mDNS appear here on their own; "
        + "or add one by URL (Add backend).";
      this.emptyNote.hidden = false;
    } else if (visible === 0) {
      this.emptyNote.textContent = "No backend matches the filter.";
      this.emptyNote.hidden = false;
    } else {
      this.emptyNote.hidden = true;
    }
  }
}
