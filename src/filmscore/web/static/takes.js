/* The recording page's take logger: keyboard only, nothing lost.
 *
 * Every entry (a take logged, a take circled) is first written to localStorage with a key
 * made here, then sent with fetch, one at a time, in order.  An entry that cannot be sent
 * (no connection, the server away) stays queued and is shown "waiting"; it is sent again
 * when the connection returns (the "online" event, and a retry every few seconds).  The
 * server knows a take entry sent twice by its key and logs it once.  An entry the server
 * refuses (an unknown cue, say) is kept and shown with the server's message.
 */
(function () {
  "use strict";
  const root = document.getElementById("logger");
  if (!root) return;
  const data = JSON.parse(document.getElementById("logger-data").textContent);
  const mayLog = root.dataset.mayLog === "yes";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const STORE = "filmscore.takes." + root.dataset.project;
  const RETRY_MS = 3000;

  const tbody = document.querySelector("#take-log tbody");
  const status = document.getElementById("queue-status");
  const cueInput = document.getElementById("cue-input");
  const notesInput = document.getElementById("notes-input");
  const picks = Array.from(document.querySelectorAll("#cue-pick li"));

  // -- state: the takes the server has, the queue (persisted), the refused entries ------
  let takes = data.takes.slice();            // newest first, as the server sends them
  let saved = load();                        // {queue: [...], refused: [...]}
  let sending = false;
  let lastError = "";
  let selected = 0;                          // index into rows(): 0 = the newest row
  let cueIndex = 0;

  function load() {
    try {
      const got = JSON.parse(localStorage.getItem(STORE) || "{}");
      return {queue: got.queue || [], refused: got.refused || [], cue: got.cue || ""};
    } catch (e) {
      return {queue: [], refused: [], cue: ""};
    }
  }
  function save() { localStorage.setItem(STORE, JSON.stringify(saved)); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // -- the log as shown: waiting entries first, then the takes, newest first ------------
  function rows() {
    const pending = saved.queue.filter((e) => e.op === "log").slice().reverse()
      .map((e) => ({pending: e}));
    const refused = saved.refused.slice().reverse().map((e) => ({refused: e}));
    return refused.concat(pending, takes.map((t) => ({take: t})));
  }

  function circlePending(take) {
    return saved.queue.some((e) => e.op === "circle" && e.cue === take.cue
                            && e.number === take.number);
  }

  function cell(tr, text, cls) {
    const td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function render() {
    const all = rows();
    if (selected >= all.length) selected = Math.max(0, all.length - 1);
    tbody.textContent = "";
    all.forEach((row, i) => {
      const tr = document.createElement("tr");
      if (row.take) {
        const t = row.take;
        tr.dataset.id = t.id;
        tr.dataset.cue = t.cue;
        tr.dataset.number = t.number;
        if (t.circled) tr.classList.add("circled");
        const waiting = circlePending(t);
        cell(tr, t.cue, "cue"); cell(tr, t.number, "num");
        cell(tr, t.kind + (t.bars ? " " + t.bars : ""));
        cell(tr, t.circled ? "●" : "", "circle"); cell(tr, t.notes); cell(tr, t.session);
        cell(tr, waiting ? "waiting" : "logged", "state");
        if (waiting) tr.classList.add("waiting");
      } else if (row.pending) {
        const e = row.pending;
        tr.classList.add("waiting");
        tr.dataset.key = e.key;
        if (e.circled) tr.classList.add("circled");
        cell(tr, e.cue, "cue"); cell(tr, "…", "num"); cell(tr, e.kind);
        cell(tr, e.circled ? "●" : "", "circle"); cell(tr, e.notes); cell(tr, data.session);
        cell(tr, sending && saved.queue[0] === e ? "sending" : "waiting", "state");
      } else {
        const e = row.refused;
        tr.classList.add("refused");
        tr.dataset.key = e.key;
        cell(tr, e.cue, "cue"); cell(tr, "", "num"); cell(tr, e.kind || "circle");
        cell(tr, "", "circle"); cell(tr, e.notes); cell(tr, "");
        cell(tr, "refused: " + e.error + " (Delete to dismiss)", "state");
      }
      if (i === selected) tr.classList.add("selected");
      tbody.appendChild(tr);
    });
    if (!all.length) {
      const tr = document.createElement("tr");
      tr.className = "empty";
      cell(tr, "No takes yet.");
      tr.firstChild.colSpan = 7;
      tbody.appendChild(tr);
    }
    if (!mayLog) return;
    const waiting = saved.queue.length;
    status.textContent = waiting === 0 ? "all sent"
      : `${waiting} waiting` + (navigator.onLine ? "" : " (offline)")
        + (lastError ? ` · ${lastError}` : "");
    status.className = "status" + (waiting ? " waiting" : "");
    picks.forEach((li, i) => li.classList.toggle("selected", i === cueIndex
                                                   && li.dataset.cue === cueInput.value));
  }

  // -- sending ---------------------------------------------------------------------------
  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRF-Token": csrf},
      body: JSON.stringify(body),
    });
    let json = {};
    try { json = await response.json(); } catch (e) { /* not JSON: an HTML error page */ }
    return {status: response.status, json: json};
  }

  function message(json, status) {
    if (json && typeof json.error === "string") return json.error;
    return `HTTP ${status}`;
  }

  function upsert(take) {
    const at = takes.findIndex((t) => t.id === take.id);
    if (at >= 0) takes[at] = take; else takes.unshift(take);
  }

  async function pump() {
    if (sending || !saved.queue.length) return;
    sending = true;
    render();
    try {
      while (saved.queue.length) {
        const e = saved.queue[0];
        let got;
        try {
          if (e.op === "log") {
            got = await post("/api/takes", {cue: e.cue, kind: e.kind, circled: e.circled,
                                            notes: e.notes, entry_key: e.key,
                                            logged_at: e.at});
          } else {
            got = await post(`/api/takes/${encodeURIComponent(e.cue)}/${e.number}/circle`,
                             {circled: e.circled});
          }
        } catch (err) {            // no connection: keep it, try again later
          lastError = navigator.onLine ? "server not reached" : "";
          break;
        }
        if (got.status === 200) {
          lastError = "";
          saved.queue.shift();
          upsert(got.json);
          if (e.op === "log" && e.circled !== got.json.circled) {
            // circled (or not) while it was on its way, or logged before by a send whose
            // answer was lost: send the circle too
            saved.queue.unshift({op: "circle", key: newKey(), cue: got.json.cue,
                                 number: got.json.number, circled: e.circled});
          }
          save();
          render();
        } else if (got.status >= 500 || got.status === 401 || got.status === 403
                   || got.status === 408 || got.status === 429) {
          // the server away, or the login or its token expired: keep it queued
          lastError = got.status === 401 || got.status === 403
            ? "log in again to send (" + message(got.json, got.status) + ")"
            : message(got.json, got.status);
          break;
        } else {                   // refused for what it says: keep it to show, move on
          saved.queue.shift();
          saved.refused.push(Object.assign({}, e, {error: message(got.json, got.status)}));
          if (e.op === "circle") {   // show the take as the server has it
            const t = takes.find((x) => x.cue === e.cue && x.number === e.number);
            if (t) t.circled = !e.circled;
          }
          save();
          render();
        }
      }
    } finally {
      sending = false;
      render();
    }
  }

  setInterval(() => { if (saved.queue.length) pump(); }, RETRY_MS);
  window.addEventListener("online", pump);
  window.addEventListener("offline", render);
  window.addEventListener("storage", (ev) => {   // another tab of this page changed the queue
    if (ev.key === STORE) { saved = load(); render(); }
  });

  // -- the keys --------------------------------------------------------------------------
  function enqueue(entry) {
    saved.queue.push(entry);
    save();                        // kept before anything is sent
    selected = 0;
    render();
    pump();
  }

  function logTake(kind) {
    const cue = cueInput.value.trim();
    if (!cue) { status.textContent = "choose a cue first (↑ ↓ or /)"; return; }
    enqueue({op: "log", key: newKey(), cue: cue, kind: kind, circled: false,
             notes: notesInput.value.trim(), at: new Date().toISOString()});
    notesInput.value = "";
  }

  function circle() {
    const row = rows()[selected];
    if (!row) return;
    if (row.pending) {
      row.pending.circled = !row.pending.circled;
      save();
      render();
      pump();
    } else if (row.take) {
      const t = row.take;
      t.circled = !t.circled;
      enqueue({op: "circle", key: newKey(), cue: t.cue, number: t.number,
               circled: t.circled});
      selected = rows().findIndex((r) => r.take === t);
      render();
    }
  }

  function pickCue(step) {
    if (!picks.length) return;
    const at = picks.findIndex((li) => li.dataset.cue === cueInput.value);
    cueIndex = at < 0 ? 0 : Math.min(picks.length - 1, Math.max(0, at + step));
    cueInput.value = picks[cueIndex].dataset.cue;
    remember();
  }

  function remember() {           // the cue chosen stays chosen across a reload
    saved.cue = cueInput.value.trim();
    save();
    render();
  }

  function back() {
    if (document.activeElement) document.activeElement.blur();
    render();
  }

  document.addEventListener("keydown", (ev) => {
    if (!mayLog || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const target = ev.target;
    if (target === cueInput) {
      if (ev.key === "Enter" || ev.key === "Escape") {
        ev.preventDefault();
        const at = picks.findIndex((li) => li.dataset.cue === cueInput.value.trim());
        if (at >= 0) cueIndex = at;
        remember();
        back();
      }
      return;
    }
    if (target === notesInput) {
      if (ev.key === "Enter") { ev.preventDefault(); logTake(data.keys.Enter); back(); }
      else if (ev.key === "Escape") { ev.preventDefault(); back(); }
      return;
    }
    if (target && /^(INPUT|TEXTAREA|SELECT|BUTTON|A|SUMMARY)$/.test(target.tagName)) return;
    if (Object.prototype.hasOwnProperty.call(data.keys, ev.key)) {
      ev.preventDefault(); logTake(data.keys[ev.key]);
    } else if (ev.key === "c") {
      ev.preventDefault(); circle();
    } else if (ev.key === "ArrowUp" || ev.key === "ArrowDown") {
      ev.preventDefault(); pickCue(ev.key === "ArrowUp" ? -1 : 1);
    } else if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
      ev.preventDefault();
      const n = rows().length;
      selected = Math.min(Math.max(0, n - 1), Math.max(0, selected
                          + (ev.key === "ArrowRight" ? 1 : -1)));
      render();
    } else if (ev.key === "n") {
      ev.preventDefault(); notesInput.focus();
    } else if (ev.key === "/") {
      ev.preventDefault(); cueInput.select(); cueInput.focus();
    } else if (ev.key === "Delete") {
      const row = rows()[selected];
      if (row && row.refused) {
        saved.refused = saved.refused.filter((e) => e !== row.refused);
        save();
        render();
      }
    }
  });

  if (!mayLog) return;
  if (saved.cue) cueInput.value = saved.cue;
  cueIndex = Math.max(0, picks.findIndex((li) => li.dataset.cue === cueInput.value));
  cueInput.addEventListener("input", render);
  render();
  pump();
})();
