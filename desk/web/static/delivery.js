// What became of the messages sent to people: a status under each agent
// message (sent, delivered, read, or not delivered and why), a banner when
// WhatsApp's 24-hour window closed or the person blocked the bot, and the
// list of messages given up, to send again or discard. It listens to the
// events desk.js announces. Plain DOM; text is always set with textContent.
"use strict";
(() => {
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  // In the desk's zone, as desk.js's times.
  const when = (() => {
    const opts = { weekday: "short", day: "numeric", month: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    let f;
    try { f = new Intl.DateTimeFormat(t("deskpage.intl"), { ...opts, timeZone: document.querySelector('meta[name="zone"]')?.content || "America/Argentina/Buenos_Aires" }); } catch (e) {
      f = new Intl.DateTimeFormat(t("deskpage.intl"), { ...opts, timeZone: "America/Argentina/Buenos_Aires" });
    }
    return (iso) => f.format(new Date(iso));
  })();
  let current = "";
  const closedWhy = {};
  // shownClosed is the chat the page shows as closed: the event saying why
  // can come after the page found the chat gone (another event for the
  // chat made it look first).
  let shownClosed = "";
  // showWhy says why the chat shown as closed closed, keeping what the
  // page said after "Conversación cerrada." (a reply left unsent). A
  // person who left said only "Conversación cerrada." (found by a probe).
  const closedAs = t("deskpage.closed");
  const left = { left: true, abandoned: true };
  const showWhy = (reason) => {
    const shown = $("empty").textContent;
    if (!shown.startsWith(closedAs)) return;
    $("empty").textContent = t(left[reason] ? "deskpage.closed_left" : "deskpage.closed_stopped") + shown.slice(closedAs.length);
  };

  async function call(method, path, body) {
    const opts = { method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    const r = await fetch(path, opts);
    const data = await r.json();
    if (!r.ok) throw new Error(data.error || r.statusText);
    return data;
  }

  const states = { queued: "deskpage.state.queued", retrying: "deskpage.state.retrying", held: "deskpage.state.held", sent: "deskpage.state.sent",
    delivered: "deskpage.state.delivered", read: "deskpage.state.read", failed: "deskpage.state.failed" };
  const stateOf = (state) => states[state] ? t(states[state]) : state;

  // why says, in the agents' words, why a message did not get through.
  function why(st) {
    switch (st.code) {
      case "403": case "stopped": return t("deskpage.why.stopped");
      case "131047": return t("deskpage.why.window");
      case "131026": return t("deskpage.why.no_whatsapp");
      case "no_template": return t("deskpage.why.no_template");
      case "discarded": return t("deskpage.why.discarded");
    }
    // The relay's own words are English: the page says it in the desk's
    // language, with the platform's code (the reason stays in the
    // badge's title).
    return st.code ? t("deskpage.why.code", { code: st.code }) : "";
  }

  // What each kind of message given up is, in the agents' words.
  const kinds = { agent: "deskpage.kind.agent", reply: "deskpage.kind.reply", taken: "deskpage.kind.taken", position: "deskpage.kind.position",
    hours: "deskpage.kind.hours", close: "deskpage.kind.close", reminder: "deskpage.kind.reminder", resend: "deskpage.kind.resend",
    template: "deskpage.kind.template", msg: "deskpage.kind.msg" };

  async function decorate(chat) {
    current = chat;
    let d;
    try { d = await call("GET", "/desk/api/chats/" + encodeURIComponent(chat) + "/delivery"); } catch (e) { return; }
    if (chat !== current) return;
    // What is written under the messages pushed the end out of view, the
    // person's last message hidden (found by a probe): a transcript
    // shown to its end stays so.
    const ol = $("messages");
    const atEnd = ol.scrollTop + ol.clientHeight >= ol.scrollHeight - 4;
    document.querySelectorAll("#messages li[data-id]").forEach((li) => {
      const st = d.statuses[li.dataset.id];
      li.querySelector(".delivery")?.remove();
      if (!st) return;
      const badge = el("span", "delivery " + st.state, stateOf(st.state));
      badge.title = st.reason || "";
      if (st.state === "failed" || st.state === "held" || st.state === "retrying") {
        const r = why(st);
        if (r) badge.append(el("span", "why", " · " + r));
      }
      li.append(badge);
    });
    banner(d);
    if (atEnd) ol.scrollTop = ol.scrollHeight;
  }

  function banner(d) {
    const box = $("delivery-banner");
    box.replaceChildren();
    if (d.stopped) {
      box.append(el("strong", "", t("deskpage.banner_stopped") + " "), t("deskpage.banner_stopped_more"));
    } else if (d.window) {
      box.append(el("strong", "", t("deskpage.banner_window") + " "), t("deskpage.banner_window_more") + " ");
      const ts = d.window.template_status;
      if (d.window.template && ts) {
        const status = stateOf(ts.state) + (ts.at ? ", " + when(ts.at) : "");
        box.append(t(ts.state === "failed" ? "deskpage.banner_template_failed" : "deskpage.banner_template",
          { template: d.window.template, status, why: why(ts) }));
      } else if (ts && ts.state === "failed") {
        box.append(t("deskpage.banner_not_told", { why: why(ts) }));
      }
    }
    box.hidden = !box.childNodes.length;
    box.className = "delivery-banner" + (d.stopped ? " bad" : "");
  }

  // heldWhy says why a held message waits with nobody asking the person
  // to write: with no template configured, what to ask for as well.
  function heldWhy(d) {
    return t(d.code === "no_template" ? "deskpage.held_no_template" : "deskpage.held");
  }

  // cut is text's first n characters, whole ones, and «…» when it goes
  // on: slice cut UTF-16 units, an emoji at the cut shown as «�», and
  // nothing said the message went on (found by a desk probe).
  const cut = (text, n) => { const cs = Array.from(text); return cs.length > n ? cs.slice(0, n).join("") + "…" : text; };

  async function refreshUndelivered() {
    let list;
    try { list = await call("GET", "/desk/api/undelivered"); } catch (e) { return; }
    const ul = $("undelivered-list");
    ul.replaceChildren();
    $("n-undelivered").textContent = list.length;
    $("undelivered").hidden = list.length === 0;
    for (const d of list) {
      const li = el("li", "undelivered" + (d.held ? " held" : ""));
      li.dataset.key = d.key;
      // A held message was not given up: the template that asks the person
      // to write failed (why, in the title), and it goes out if they write.
      const meta = el("div", "meta", when(d.at) + " · " + t(kinds[d.kind] || "deskpage.kind.msg") + " · " +
        (d.held ? heldWhy(d) : (why(d) || t("deskpage.why.unknown"))));
      if (d.held) meta.title = t("deskpage.held_title", { why: why(d) || t("deskpage.why.not_sent") });
      li.append(el("div", "", d.chat), meta, el("div", "text", cut(d.text, 140)));
      const actions = el("div", "actions");
      if (!d.held) {
        const again = el("button", "small", t("deskpage.retry"));
        again.addEventListener("click", () => act("/desk/api/undelivered/resend", d));
        actions.append(again);
      }
      const drop = el("button", "small link-dark", t("deskpage.discard"));
      drop.addEventListener("click", () => act("/desk/api/undelivered/discard", d));
      actions.append(drop);
      li.append(actions);
      ul.append(li);
    }
  }

  async function act(path, d) {
    try { await call("POST", path, { chat: d.chat, key: d.key }); } catch (e) { /* the list shows the truth */ }
    refreshUndelivered();
  }

  let pending = null;
  function soon() { if (!pending) pending = setTimeout(() => { pending = null; refreshUndelivered(); }, 300); }

  // A chat shown open is not closed for the reason of an earlier close.
  document.addEventListener("desk:chat", (e) => { shownClosed = ""; delete closedWhy[e.detail.chat]; decorate(e.detail.chat); });
  document.addEventListener("desk:event", (e) => {
    const ev = e.detail;
    if (ev.kind === "closed" && ev.reason) {
      closedWhy[ev.chat] = ev.reason;
      if (ev.chat === shownClosed) showWhy(ev.reason);
    }
    if (ev.kind === "delivery" && ev.chat === current) decorate(current);
    if (ev.kind === "delivery" || ev.kind === "closed") soon();
  });
  document.addEventListener("desk:closed", (e) => {
    shownClosed = e.detail.chat;
    if (closedWhy[e.detail.chat]) showWhy(closedWhy[e.detail.chat]);
  });
  refreshUndelivered();
  setInterval(refreshUndelivered, 30000);
})();
