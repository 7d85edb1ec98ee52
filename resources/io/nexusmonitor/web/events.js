// GET /api/events?stats=true read with fetch (not EventSource, which cannot send the token a
// guard_reads server needs), parsed as Server-Sent Events, reconnected with backoff.

import { headers } from "./api.js";

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15000;
// the server sends a heartbeat comment every 15 s: three missed ones mean the connection is dead
const SILENCE_MS = 45000;

/**
 * Connects and stays connected until stop() is called.
 * onEvent(name, data) gets every event (data parsed as JSON);
 * onState(state, detail) gets "connecting", "live", or "disconnected" with
 * { retryInMs, reason } (and "unauthorized" when the server wants the token).
 */
export function connect({ onEvent, onState }) {
  let stopped = false;
  let controller = null;
  let retryMs = FIRST_RETRY_MS;
  let timer = null;
  let generation = 0; // a restart abandons the run before it

  async function run() {
    if (stopped) return;
    const gen = ++generation;
    const current = () => !stopped && gen === generation;
    const mine = (controller = new AbortController());
    onState("connecting");
    let reason = "the connection closed";
    let watchdog = null;
    let silent = false;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        silent = true;
        mine.abort();
      }, SILENCE_MS);
    };
    try {
      const res = await fetch("/api/events?stats=true", {
        headers: headers({ Accept: "text/event-stream" }),
        cache: "no-store",
        credentials: "omit",
        signal: mine.signal,
      });
      if (!current()) return;
      if (res.status === 401) {
        onState("unauthorized");
        return; // the token dialog reconnects
      }
      if (!res.ok || !res.body) {
        reason = "the server answered HTTP " + res.status;
      } else {
        alive();
        await read(res.body, alive, () => {
          retryMs = FIRST_RETRY_MS; // a working stream resets the backoff
          if (current()) onState("live");
        });
      }
    } catch (e) {
      reason = silent ? "no heartbeat for 45 s" : "the monitor does not answer";
    }
    clearTimeout(watchdog);
    if (!current()) return;
    const wait = retryMs;
    retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
    onState("disconnected", { retryInMs: wait, reason });
    timer = setTimeout(run, wait);
  }

  async function read(body, alive, opened) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let first = true;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      alive();
      if (first) {
        first = false;
        opened();
      }
      buffer += value;
      let end;
      // an event ends at a blank line; normalise CRLF first
      buffer = buffer.replace(/\r\n?/g, "\n");
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(block);
      }
    }
  }

  function dispatch(block) {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue; // comments: heartbeat, connected
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    }
    if (data.length === 0) return;
    let parsed;
    try {
      parsed = JSON.parse(data.join("\n"));
    } catch {
      return;
    }
    onEvent(name, parsed);
  }

  run();
  return {
    /** Reconnects now (a new token, or the user asked). */
    restart() {
      clearTimeout(timer);
      if (controller) controller.abort();
      retryMs = FIRST_RETRY_MS;
      stopped = false;
      generation++;
      run();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}
