// The agents' desk: the live queue, one conversation, canned answers and
// the figures. Plain DOM; text is always set with textContent.
"use strict";
(() => {
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const me = document.querySelector('meta[name="agent"]').content;
  // A supervisor may take a chat another agent has (one whose agent is gone).
  const supervisor = document.querySelector('meta[name="supervisor"]')?.content === "true";
  const $ = (id) => document.getElementById(id);
  let selected = "";
  // The open chat is kept in the tab (sessionStorage), so a reload, or the
  // sign-in after a session ended, opens it again (it was deselected).
  const selectedKey = "clavebot.desk.selected." + me;
  function setSelected(chat) {
    selected = chat;
    try { if (chat) sessionStorage.setItem(selectedKey, chat); else sessionStorage.removeItem(selectedKey); } catch (e) { /* not kept */ }
  }
  let board = null;

  const api = async (method, path, body) => {
    const opts = { method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    const r = await fetch(path, opts);
    if (r.status === 401) { signedOut(); throw new Error("signed out"); }
    const data = await r.json();
    if (!r.ok) { const e = new Error(data.error || r.statusText); e.status = r.status; e.code = data.code || ""; throw e; }
    return data;
  };
  // refused says in the desk's language why the server refused an
  // action, by its name (the server's error text is English, for other
  // readers).
  const refusals = {
    reply_length: "deskpage.refused.reply_length", reply_id: "deskpage.refused.reply_id",
    taken: "deskpage.refused.taken", not_yours: "deskpage.refused.not_yours", ended: "deskpage.refused.ended",
    gone: "deskpage.refused.gone", supervisors_only: "deskpage.refused.supervisors_only",
    unavailable: "deskpage.refused.unavailable", csrf: "deskpage.refused.csrf",
  };
  const refused = (e) => refusals[e.code] ? t(refusals[e.code], { max: Number($("reply-text").dataset.max) })
    : t(!e.status || e.status >= 500 ? "deskpage.refused.server" : "deskpage.refused.other");
  const chatPath = (chat) => "/desk/api/chats/" + encodeURIComponent(chat);
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  const span = (s) => s < 60 ? t("deskpage.seconds", { n: Math.round(s) }) : s < 3600 ? t("deskpage.minutes", { n: Math.round(s / 60) }) : t("deskpage.hours", { n: Math.round(s / 3600) });
  const since = (iso) => span(Math.max(0, (Date.now() - new Date(iso)) / 1000));
  // Times are the desk's zone's (its hours'), whatever the zone of the
  // agent's computer, and a message of another day says its date: they
  // were the computer's hour alone, and a message left at 22:00 the night
  // before read as today's (found by a desk probe).
  const clock = (() => {
    const opts = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    const zone = document.querySelector('meta[name="zone"]')?.content;
    try { return new Intl.DateTimeFormat(t("deskpage.intl"), { ...opts, timeZone: zone || "America/Argentina/Buenos_Aires" }); } catch (e) {
      return new Intl.DateTimeFormat(t("deskpage.intl"), { ...opts, timeZone: "America/Argentina/Buenos_Aires" });
    }
  })();
  const partsOf = (d) => Object.fromEntries(clock.formatToParts(d).map((p) => [p.type, p.value]));
  const hhmm = (iso) => { const p = partsOf(new Date(iso)); return p.hour + ":" + p.minute; };
  const dayOf = (d) => { const p = partsOf(d); return p.day + "/" + p.month + "/" + p.year; };
  const stamp = (iso) => {
    const p = partsOf(new Date(iso)), day = dayOf(new Date(iso));
    return (day === dayOf(new Date()) ? "" : day + " ") + p.hour + ":" + p.minute;
  };
  // Why a chat came to the desk, as the engine names it.
  const reasons = {
    requested: "deskpage.reason.requested",
    handoff: "deskpage.reason.not_understood", not_understood: "deskpage.reason.not_understood",
    stuck: "deskpage.reason.stuck",
    locked: "deskpage.reason.locked",
    failures: "deskpage.reason.failures", cuil_unknown: "deskpage.reason.failures",
    resumed: "deskpage.reason.resumed",
  };
  const reasonOf = (r) => t(reasons[r] || "deskpage.reason.other");

  // renderList draws a list of chats. Each is a button, reached by Tab and
  // opened by Enter as by a click (they were bare list items, for the
  // mouse only; found by a probe); the list is drawn again on every event,
  // and the keyboard's place in it is kept.
  // total is how many the list has (the board sends the head of the
  // line only): the others are said in a line of their own.
  function renderList(id, convs, countId, total, more) {
    const ul = $(id);
    const focused = ul.contains(document.activeElement) ? document.activeElement.closest("li")?.dataset.chat : undefined;
    ul.replaceChildren();
    total = Math.max(total || 0, convs.length);
    $(countId).textContent = total;
    for (const c of convs) {
      const li = el("li");
      li.dataset.chat = c.chat;
      if (c.chat === selected) li.classList.add("selected");
      const b = el("button", "item");
      b.type = "button";
      if (c.chat === selected) b.setAttribute("aria-current", "true");
      const title = el("span", "title");
      const name = c.label || c.chat; // a WhatsApp number masked
      title.append(el("strong", "", c.position ? c.position + ". " + name : name), " ", el("span", "badge", c.channel));
      // How long the person waits for an answer, to choose whom to
      // answer first: in the line since the hand-over, with an agent
      // since their first message after the agent's last answer.
      const waits = c.status === "active" && c.awaiting ? " · " + t("deskpage.unanswered_since", { since: since(c.awaiting) }) : "";
      const meta = el("span", "meta", reasonOf(c.reason) + " · " + t("deskpage.since", { since: since(c.enqueued) }) + waits + (c.agent ? " · " + c.agent : ""));
      b.append(title, meta);
      li.append(b);
      li.addEventListener("click", () => select(c.chat));
      ul.append(li);
      if (c.chat === focused) b.focus();
    }
    if (total > convs.length) ul.append(el("li", "more muted", t(more || "deskpage.more", { n: total - convs.length })));
  }

  // Every person's message in the line is an event on every agent's
  // page, and each event fetched the whole board with the desk's figures
  // (a desk probe: at the country's scale, thousands waiting, every page
  // asking for all of them and the week's statistics on each message).
  // Events now make one fetch at a time, and one more after it if any
  // came meanwhile; the figures come with the board every half minute.
  let boardRun = null, boardAgain = false, statsAt = 0;
  function refreshBoard() {
    if (boardRun) { boardAgain = true; return boardRun; }
    boardRun = (async () => {
      try {
        do { boardAgain = false; await loadBoard(); } while (boardAgain);
      } finally { boardRun = null; }
    })();
    return boardRun;
  }

  // A board that cannot be read (Redis or the database away: 503; the
  // server gone) left the page as it was, «Abierta» over the line shown
  // last, without a word (found by a desk probe): the page says the line
  // may be out of date until a board is read again.
  async function loadBoard() {
    const stats = Date.now() - statsAt >= 25000;
    try {
      board = await api("GET", "/desk/api/board" + (stats ? "" : "?stats=0"));
    } catch (e) {
      if (!leaving) $("offline").hidden = false;
      throw e;
    }
    $("offline").hidden = true;
    if (stats) statsAt = Date.now();
    const by = (s) => (board.conversations || []).filter((c) => c.status === s);
    renderList("queue", by("waiting"), "n-waiting", board.waiting, "deskpage.more_in_line");
    renderList("pending", by("pending"), "n-pending", board.pending);
    renderList("active", by("active"), "n-active");
    const st = $("open-state");
    st.textContent = t(board.open ? "deskpage.open" : "deskpage.out_of_hours");
    st.className = "badge " + (board.open ? "ok" : "warn");
    if (board.stats) renderStats(board.stats);
    if (board.stats || board.stats_unavailable) staleStats(board.stats_unavailable);
  }

  // staleStats says whether the figures shown are the last ones read
  // (the database failed since): they stayed, as if current, while the
  // statistics could not be read (found by a desk probe).
  let statsShownAt = "";
  function staleStats(failed) {
    const note = $("stats-stale");
    if (!failed) { statsShownAt = hhmm(new Date().toISOString()); note.hidden = true; return; }
    note.textContent = statsShownAt ? t("deskpage.stats_stale_since", { at: statsShownAt }) : t("deskpage.stats_stale");
    note.hidden = false;
  }

  function renderStats(s) {
    $("st-today").textContent = s.today;
    $("st-week").textContent = s.week;
    $("st-wait").textContent = s.taken ? (s.median_wait_s < 60 ? t("deskpage.seconds", { n: Math.round(s.median_wait_s) }) : t("deskpage.minutes", { n: Math.round(s.median_wait_s / 60) })) : "–";
    const rated = s.useful + s.not_useful;
    $("st-rating").textContent = rated ? t("deskpage.useful", { pct: Math.round(100 * s.useful / rated) }) : "–";
    const box = $("funnels");
    box.replaceChildren();
    for (const f of s.funnels || []) box.append(funnelChart(f));
  }

  const names = { start: "deskpage.stage.start", cuil: "deskpage.stage.cuil", first_names: "deskpage.stage.first_names",
    last_names: "deskpage.stage.last_names", birth_date: "deskpage.stage.birth_date", dni: "deskpage.stage.dni",
    dni_tramite: "deskpage.stage.dni_tramite", question: "deskpage.stage.question", validated: "deskpage.stage.validated",
    current_key: "deskpage.stage.current_key", new_key: "deskpage.stage.new_key", confirm_key: "deskpage.stage.confirm_key",
    done: "deskpage.stage.done" };
  const flows = { create: "deskpage.flow.create", recover: "deskpage.flow.recover" };
  const NS = "http://www.w3.org/2000/svg";
  const svgEl = (tag, attrs) => { const e = document.createElementNS(NS, tag); for (const k in attrs) e.setAttribute(k, attrs[k]); return e; };

  // funnelChart draws one funnel: a bar per stage for those who reached
  // it, the part that left there in red.
  function funnelChart(f) {
    const wrap = el("div", "funnel");
    wrap.append(el("h3", "", flows[f.flow] ? t(flows[f.flow]) : f.flow));
    const stages = f.stages || [];
    if (!stages.length) { wrap.append(el("p", "muted", t("deskpage.funnel_empty"))); return wrap; }
    const top = Math.max(...stages.map((s) => s.reached)), row = 18, label = 86, width = 290;
    const svg = svgEl("svg", { width, height: stages.length * row + 4, role: "img", "aria-label": t("deskpage.funnel_label", { flow: flows[f.flow] ? t(flows[f.flow]) : f.flow }) });
    stages.forEach((s, i) => {
      const bars = width - label - 72, y = i * row + 2, full = bars * s.reached / top, left = bars * s.left / top;
      svg.append(svgEl("rect", { x: label, y, width: Math.max(1, full - left), height: row - 5, fill: "#0b63ce", rx: 2 }));
      if (left > 0) svg.append(svgEl("rect", { x: label + full - left, y, width: left, height: row - 5, fill: "#f04438", rx: 2 }));
      const stage = svgEl("text", { x: 0, y: y + row - 8 }); stage.textContent = names[s.name] ? t(names[s.name]) : s.name; svg.append(stage);
      const n = svgEl("text", { x: label + full + 4, y: y + row - 8 }); n.textContent = s.reached + (s.left ? " (−" + s.left + ")" : ""); svg.append(n);
      const tip = svgEl("title", {}); tip.textContent = t(s.cancelled ? "deskpage.funnel_tip_cancelled" : "deskpage.funnel_tip", { reached: s.reached, left: s.left, cancelled: s.cancelled }); svg.lastChild.append(tip);
    });
    wrap.append(svg);
    return wrap;
  }

  // Drafts: the reply box holds what was typed for one chat (draftChat).
  // Moving to another chat keeps it aside and shows that chat's own, so a
  // reply typed for one person never goes to another (found by a probe:
  // the box kept its text, personal data included, across chats).
  // They live in the tab's sessionStorage, this agent's own, so a sign-in
  // that ends (and the sign-in after it) loses none; signing out forgets
  // them.
  const draftsKey = "clavebot.desk.drafts." + me;
  const drafts = (() => { try { return JSON.parse(sessionStorage.getItem(draftsKey)) || {}; } catch (e) { return {}; } })();
  const saveDrafts = () => { try { sessionStorage.setItem(draftsKey, JSON.stringify(drafts)); } catch (e) { /* kept in memory */ } };
  let draftChat = "";
  function keepDraft() {
    if (!draftChat) return;
    const v = $("reply-text").value;
    if (v.trim()) drafts[draftChat] = v; else delete drafts[draftChat];
    saveDrafts();
  }
  function showDraft(chat) {
    keepDraft();
    draftChat = chat;
    $("reply-text").value = (chat && drafts[chat]) || "";
  }
  // dropDraft forgets the draft of a chat that ended, and tells whether
  // there was one.
  function dropDraft(chat) {
    if (chat === draftChat) keepDraft();
    const had = !!drafts[chat];
    delete drafts[chat];
    saveDrafts();
    if (chat === draftChat) { draftChat = ""; $("reply-text").value = ""; }
    return had;
  }
  const unsent = " " + t("deskpage.unsent");

  async function select(chat) {
    // A refusal is said under the chat it was about: it stayed under the
    // next chat opened, read as that one's (found by a desk probe).
    if (chat !== selected) $("chat-error").hidden = true;
    setSelected(chat);
    showDraft(chat);
    document.querySelectorAll(".list li[data-chat]").forEach((li) => {
      li.classList.toggle("selected", li.dataset.chat === chat);
      li.querySelector("button")?.toggleAttribute("aria-current", li.dataset.chat === chat);
    });
    await refreshChat();
  }

  // refreshChat shows the selected chat as it is now. Every event for it
  // starts one, so several can be under way and their answers can come in
  // any order: only the last one started is shown, and none once the agent
  // moved on or the chat was found closed.
  let refreshes = 0;
  // What #messages shows, and the day it was drawn on: a transcript
  // drawn yesterday is drawn again, its lines of yesterday with their
  // date (a chat left open overnight showed last night's lines as
  // today's, found by a desk probe).
  let transcript = { chat: "", keys: [], day: "" };
  let mineShown = ""; // the chat last shown as this agent's
  // toEnd shows the transcript's end whatever the agent reads (their own
  // reply, just sent), in this refresh or the one shown after it.
  let wantEnd = false;
  async function refreshChat(toEnd) {
    if (toEnd) wantEnd = true;
    const chat = selected, n = ++refreshes;
    if (!chat) return;
    const stale = () => n !== refreshes || selected !== chat;
    let data;
    try { data = await api("GET", chatPath(chat)); } catch (e) {
      // Only the server's answer closes the chat: a request cut short (a
      // reload, the network) or a failing server leaves it open, and the
      // next refresh tells (a reload forgot the open chat).
      if (stale() || (e.status !== 404 && e.status !== 409)) return;
      $("chat").hidden = true; $("empty").hidden = false; setSelected("");
      if (e.status === 409 && mineShown === chat) {
        // A supervisor took it over: it goes on, with someone else (it
        // said "Conversación cerrada.", found by a probe).
        $("empty").textContent = t("deskpage.taken_over");
        mineShown = ""; return;
      }
      if (e.status === 409) {
        // Another agent took it (ana reading the line, the page loaded
        // again): it goes on, with them (it said "Conversación
        // cerrada.", found by a desk probe).
        $("empty").textContent = t("deskpage.taken_by_other");
        return;
      }
      $("empty").textContent = t("deskpage.closed") + (dropDraft(chat) ? unsent : ""); announce("desk:closed", { chat }); return;
    }
    if (stale()) return;
    const c = data.conversation;
    $("empty").hidden = true; $("chat").hidden = false;
    $("chat-id").textContent = c.label || c.chat;
    $("chat-channel").textContent = c.channel;
    const status = { waiting: "deskpage.status.waiting", pending: "deskpage.status.pending", active: "deskpage.status.active" };
    $("chat-status").textContent = status[c.status] ? t(status[c.status], { agent: c.agent || "" }) : c.status;
    $("chat-reason").textContent = reasonOf(c.reason);
    $("chat-cuil").textContent = c.cuil || t("deskpage.cuil_none");
    const v = $("chat-validated");
    v.textContent = t(c.validated ? "deskpage.validated" : "deskpage.not_validated");
    v.className = "badge " + (c.validated ? "ok" : "warn");
    const asked = c.awaiting && Math.abs(new Date(c.awaiting) - new Date(c.enqueued)) > 1000;
    $("chat-waiting").textContent = c.awaiting
      ? t(asked ? "deskpage.awaiting_asked" : "deskpage.awaiting", { since: since(c.awaiting), asked: since(c.enqueued) })
      : t("deskpage.answered");
    $("chat-waiting").className = "badge " + (c.awaiting ? "warn" : "ok");
    const mine = c.status === "active" && c.agent === me;
    mineShown = mine ? chat : "";
    $("take").hidden = c.status === "active";
    $("takeover").hidden = !(supervisor && c.status === "active" && !mine);
    $("close").hidden = !mine;
    $("reply-form").hidden = !mine;
    // The desk keeps a conversation's latest messages only: the agent
    // is told how many earlier ones are not shown (the record has them).
    const trimmed = $("chat-trimmed");
    trimmed.hidden = !c.trimmed;
    trimmed.textContent = c.trimmed ? t("deskpage.trimmed", { n: c.trimmed, kept: data.kept }) : "";
    // The transcript is a live region (role=log): what arrives is added
    // to it, and read out; the chat drawn anew is not.
    const ol = $("messages");
    // An agent reading back through the chat keeps their place when a
    // message comes: they were thrown to the end by each one the person
    // wrote, and lost the line they read (found by a desk probe). At the
    // end, they see it come.
    const place = ol.scrollTop, atEnd = place + ol.clientHeight >= ol.scrollHeight - 4;
    const keepPlace = transcript.chat === chat && !atEnd && !wantEnd;
    wantEnd = false;
    const keys = data.messages.map((m) => m.id || m.at + "|" + m.from + "|" + m.text);
    const today = dayOf(new Date());
    const more = transcript.chat === chat && transcript.day === today && transcript.keys.length <= keys.length && transcript.keys.every((k, i) => k === keys[i]);
    if (!more) { ol.setAttribute("aria-busy", "true"); ol.replaceChildren(); }
    for (const m of data.messages.slice(more ? transcript.keys.length : 0)) {
      const who = m.from === "agent" ? m.agent : t(m.from === "bot" ? "deskpage.from_bot" : "deskpage.from_person");
      const li = el("li", m.from);
      if (m.id) li.dataset.id = m.id;
      // The words take their own direction (dir=auto): a message in
      // Hebrew or Arabic was laid out left to right, its punctuation on
      // the wrong side (found by a desk probe).
      const words = el("div", "text", m.text);
      words.dir = "auto";
      li.append(el("small", "", who + " · " + stamp(m.at)), words);
      ol.append(li);
    }
    ol.removeAttribute("aria-busy");
    transcript = { chat, keys, day: today };
    ol.scrollTop = keepPlace ? place : ol.scrollHeight;
    announce("desk:chat", { chat: c.chat });
  }

  // announce tells the page's other parts (delivery.js) what happened.
  const announce = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail }));

  // replyID names a reply: each send a new one, but a reply sent again
  // after its send failed or got no answer (it may have gone out) keeps
  // the id of that send, so the retry is not doubled. The same text sent
  // again after it went out is a new reply: the id was reused whenever
  // the text equalled the last one, and a second "Perfecto" was dropped
  // (found by a probe).
  // Each chat keeps its own: a send under way in one is not forgotten
  // for a send in another.
  const unsure = {}; // by chat, the send to retry: { text, id }
  function replyID(chat, text) {
    const u = unsure[chat];
    if (u && u.text === text) return u.id;
    delete unsure[chat];
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  const act = (fn) => async (ev) => {
    if (ev) ev.preventDefault();
    $("chat-error").hidden = true;
    try { await fn(); } catch (e) { $("chat-error").textContent = refused(e); $("chat-error").hidden = false; }
  };
  $("take").addEventListener("click", act(async () => { await api("POST", chatPath(selected) + "/take"); await refreshChat(); }));
  $("takeover").addEventListener("click", act(async () => { await api("POST", chatPath(selected) + "/takeover"); await refreshChat(); }));
  $("close").addEventListener("click", act(async () => {
    const chat = selected;
    await api("POST", chatPath(chat) + "/close");
    const had = dropDraft(chat);
    if (selected === chat) setSelected("");
    $("chat").hidden = true; $("empty").hidden = false;
    $("empty").textContent = t("deskpage.closed_rated") + (had ? unsent : "");
    await refreshBoard();
  }));
  $("reply-form").addEventListener("submit", act(async () => {
    // The draft goes to the chat it was typed for, or nowhere.
    const chat = draftChat, text = $("reply-text").value.trim();
    if (!text || !chat || chat !== selected) return;
    const id = replyID(chat, text);
    // A send under way may go out: clicked again meanwhile (the chat's
    // lock held by a replica that died, up to 30 s), the same words keep
    // its id and go once (they went twice, found by a desk probe).
    unsure[chat] = { text, id };
    const settled = () => { if (unsure[chat]?.id === id) delete unsure[chat]; };
    try {
      await api("POST", chatPath(chat) + "/reply", { text, id });
      settled();
    } catch (e) {
      // No answer, or the server's own failure: it may have gone out.
      if (e.status && e.status < 500) settled();
      throw e;
    }
    // What was typed meanwhile stays.
    if (draftChat === chat && $("reply-text").value.trim() === text) $("reply-text").value = "";
    if ((drafts[chat] || "").trim() === text) { delete drafts[chat]; saveDrafts(); }
    await refreshChat(true);
  }));
  $("reply-text").addEventListener("input", keepDraft);
  $("canned").addEventListener("change", () => { if ($("canned").value) { $("reply-text").value = $("canned").value; $("canned").value = ""; $("reply-text").focus(); } });

  async function loadCanned() {
    for (const c of await api("GET", "/desk/api/canned")) {
      const o = el("option", "", c.intent + " — " + c.text.slice(0, 70));
      o.value = c.text;
      $("canned").append(o);
    }
  }

  // catchUp reads the board and the open chat again: events missed (the
  // stream cut and reconnected, the tab asleep in the background) left
  // the open chat as it was until its next event, which may never come
  // (found by a desk probe).
  function catchUp() {
    refreshBoard().catch(() => {});
    if (selected) refreshChat().catch(() => {});
  }
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") catchUp(); });

  function listen() {
    const es = new EventSource("/desk/events");
    es.onmessage = (m) => {
      const e = JSON.parse(m.data);
      // The session ended (signed out, or the account removed): back to
      // the sign-in form.
      if (e.kind === "signed_out") { es.close(); signedOut(); return; }
      // The server could not pass every event (the page read too slowly):
      // read everything again.
      if (e.kind === "missed") { catchUp(); return; }
      document.body.dataset.events = String(Number(document.body.dataset.events || 0) + 1);
      announce("desk:event", e);
      refreshBoard().catch(() => {});
      if (e.chat && e.chat === selected) refreshChat().catch(() => {});
    };
    es.onopen = () => { document.body.dataset.live = "1"; catchUp(); };
    // A stream refused for good (401 once signed out) is closed by the
    // browser: reload, which shows the sign-in form.
    // A stream that reconnects (the server gone) misses events: the page
    // says the line may be out of date until the board is read again.
    es.onerror = () => { if (es.readyState === EventSource.CLOSED) signedOut(); else $("offline").hidden = false; };
  }

  // refreshPairing shows the WhatsApp pairing code while the device waits to
  // be linked; the QR code changes every 20 s or so.
  async function refreshPairing() {
    const p = await api("GET", "/desk/api/whatsapp");
    $("whatsapp").hidden = !(p.qr || p.code);
    $("wa-qr").hidden = !p.qr;
    if (p.qr) $("wa-qr").src = "/desk/api/whatsapp/qr.png?t=" + Date.now();
    $("wa-code").hidden = !p.code;
    $("wa-code").textContent = p.code ? t("deskpage.whatsapp_code", { code: p.code }) : "";
  }

  // The sign-in ends after a while without the agent doing anything here
  // (the page's own refreshes do not count), and at the latest some hours
  // after it began: the page warns before, and the drafts stay (above).
  let sess = null, lastTouch = Date.now(), warnTimer = 0;
  // When the sign-in ends by this browser's clock, unless the agent does
  // something (untilAt) and whatever they do (endsAt).
  let untilAt = 0, endsAt = 0;
  function planWarning(v) {
    sess = v;
    untilAt = Date.now() + v.left_s * 1000;
    endsAt = untilAt + (new Date(v.ends) - new Date(v.until));
    clearTimeout(warnTimer);
    $("session-warning").hidden = true;
    warnTimer = setTimeout(() => showWarning(v), Math.max(0, (v.left_s - v.warn_s) * 1000));
  }
  function showWarning(v) {
    const last = new Date(v.until).getTime() >= new Date(v.ends).getTime();
    $("session-warning-text").textContent = last
      ? t("deskpage.session_cap", { at: hhmm(v.ends) }) : t("deskpage.session_idle", { at: hhmm(v.until) });
    $("stay").hidden = last;
    $("session-warning").hidden = false;
  }
  // signedOut goes back to the sign-in form, which says why the sign-in
  // ended (it said nothing, found by a probe): the hours' cap, idleness,
  // or else closed (signed out in another tab, the account changed). A
  // second early counts as on time: the server's clock is not this one.
  let leaving = false;
  function signedOut() {
    if (leaving) return;
    leaving = true;
    const now = Date.now() + 2000;
    const why = !sess ? "closed" : now >= endsAt ? "cap" : now >= untilAt ? "idle" : "closed";
    location.replace("/desk/?ended=" + why);
  }
  async function touch() {
    lastTouch = Date.now();
    try { planWarning(await api("POST", "/desk/api/session")); } catch (e) { /* the next action tries again */ }
  }
  function active() {
    if (sess && Date.now() - lastTouch >= Math.min(60000, sess.idle_s * 250)) touch();
  }
  for (const kind of ["keydown", "pointerdown", "input"]) document.addEventListener(kind, active, { passive: true });
  $("stay").addEventListener("click", touch);
  $("logout").addEventListener("submit", () => { try { sessionStorage.removeItem(draftsKey); sessionStorage.removeItem(selectedKey); } catch (e) { /* nothing kept */ } });
  api("GET", "/desk/api/session").then(planWarning).catch(() => {});

  refreshBoard().then(() => {
    let kept = "";
    try { kept = sessionStorage.getItem(selectedKey) || ""; } catch (e) { /* none */ }
    if (kept && !selected) select(kept).catch(() => {});
    return loadCanned();
  }).catch(() => {});
  refreshPairing().catch(() => {});
  listen();
  setInterval(() => {
    refreshBoard().catch(() => {});
    // With no event overnight, the chat is drawn again once the day changed.
    if (selected && transcript.day && transcript.day !== dayOf(new Date())) refreshChat().catch(() => {});
  }, 30000);
  setInterval(() => refreshPairing().catch(() => {}), 5000);
})();
