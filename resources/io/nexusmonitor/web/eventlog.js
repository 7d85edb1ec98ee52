// What happened and when, newest first, at most 200 lines.

import { EVENT_WORDS } from "./format.js";

const KEEP = 200;
const BAD = new Set(["unhealthy", "asleep"]);

export class EventLog {
  constructor(list) {
    this.list = list;
  }

  add(kind, text, tone) {
    const li = document.createElement("li");
    const time = document.createElement("time");
    const now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toLocaleTimeString([], { hour12: false });
    const k = document.createElement("span");
    k.className = "kind" + (tone ? " " + tone : "");
    k.textContent = kind;
    const t = document.createElement("span");
    t.textContent = text;
    li.append(time, k, t);
    this.list.prepend(li);
    while (this.list.children.length > KEEP) this.list.lastChild.remove();
  }

  /** A registry event, in words. */
  backendEvent(name, b, previous) {
    let text = b.name + " (" + b.url + ")";
    let tone = "";
    if (name === "status_changed") {
      text += ": " + (previous ? previous.status + " → " : "") + b.status;
      tone = BAD.has(b.status) ? "bad" : b.status === "healthy" ? "good" : "";
    } else if (name === "backend_added") {
      text += ", " + b.source + ", " + b.status;
      tone = "good";
    } else if (name === "backend_removed") {
      tone = "bad";
    }
    this.add(EVENT_WORDS[name] || name, text, tone);
  }

  clear() {
    this.list.replaceChildren();
  }
}
