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
    try { f = new Intl.DateTimeFormat("es-AR", { ...opts, timeZone: document.querySelector('meta[name="zone"]')?.content || "America/Argentina/Buenos_Aires" }); } catch (e) {
      f = new Intl.DateTimeFormat("es-AR", { ...opts, timeZone: "America/Argentina/Buenos_Aires" });
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
  const closedAs = "Conversación cerrada.";
  const left = { left: true, abandoned: true };
  const showWhy = (reason) => {
    const t = $("empty").textContent;
    if (!t.startsWith(closedAs)) return;
    $("empty").textContent = (left[reason]
      ? "Conversación cerrada: la persona escribió «cancelar» y volvió al bot."
      : "Conversación cerrada: la persona bloqueó el bot, no le llega nada hasta que vuelva a escribir.") + t.slice(closedAs.length);
  };

  async function call(method, path, body) {
    const opts = { method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    const r = await fetch(path, opts);
    const data = await r.json();
    if (!r.ok) throw new Error(data.error || r.statusText);
    return data;
  }

  const states = { queued: "en cola", retrying: "reintentando", held: "en espera", sent: "enviado", delivered: "entregado", read: "leído", failed: "no entregado" };

  // why says, in the agents' words, why a message did not get through.
  function why(st) {
    switch (st.code) {
      case "403": case "stopped": return "la persona bloqueó el bot";
      case "131047": return "pasaron más de 24 h desde su último mensaje";
      case "131026": return "WhatsApp no puede entregárselo (número sin WhatsApp, app vieja o bloqueo)";
      case "no_template": return "no hay plantilla configurada";
      case "discarded": return "descartado en la mesa";
    }
    // The relay's own words are English: the page says it in Spanish,
    // with the platform's code (the reason stays in the badge's title).
    return st.code ? "no se pudo entregar (código " + st.code + ")" : "";
  }

  // What each kind of message given up is, in the agents' words.
  const kinds = { agent: "respuesta de agente", reply: "respuesta del bot", taken: "aviso de que se tomó la consulta", position: "aviso de lugar en la fila",
    hours: "aviso de horario", close: "pedido de valoración", reminder: "recordatorio", resend: "reenvío como texto", template: "plantilla", msg: "mensaje" };

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
      const badge = el("span", "delivery " + st.state, states[st.state] || st.state);
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
      box.append(el("strong", "", "La persona bloqueó el bot. "), "No le llega ningún mensaje hasta que vuelva a escribir.");
    } else if (d.window) {
      box.append(el("strong", "", "WhatsApp: pasaron más de 24 h desde el último mensaje de la persona. "),
        "Tus mensajes quedan en espera y le llegan cuando responda. ");
      const t = d.window.template_status;
      if (d.window.template && t) {
        box.append("Se le envió la plantilla «" + d.window.template + "» (" + (states[t.state] || t.state) + (t.at ? ", " + when(t.at) : "") + ")" + (t.state === "failed" ? ": " + why(t) : "") + ".");
      } else if (t && t.state === "failed") {
        box.append("No se pudo avisarle: " + why(t) + ".");
      }
    }
    box.hidden = !box.childNodes.length;
    box.className = "delivery-banner" + (d.stopped ? " bad" : "");
  }

  // heldWhy says why a held message waits with nobody asking the person
  // to write: with no template configured, what to ask for as well.
  function heldWhy(d) {
    if (d.code === "no_template") return "no hay plantilla configurada para reabrir la conversación de WhatsApp: se entregará si la persona escribe. Avisale a quien administra el bot, o contactá a la persona por otro medio";
    return "no se pudo reabrir la conversación de WhatsApp: se entregará si la persona escribe";
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
      const meta = el("div", "meta", when(d.at) + " · " + (kinds[d.kind] || "mensaje") + " · " +
        (d.held ? heldWhy(d) : (why(d) || "no se pudo entregar")));
      if (d.held) meta.title = "plantilla: " + (why(d) || "no se pudo enviar");
      li.append(el("div", "", d.chat), meta, el("div", "text", cut(d.text, 140)));
      const actions = el("div", "actions");
      if (!d.held) {
        const again = el("button", "small", "Reintentar");
        again.addEventListener("click", () => act("/desk/api/undelivered/resend", d));
        actions.append(again);
      }
      const drop = el("button", "small link-dark", "Descartar");
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
