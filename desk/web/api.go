package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/httpjson"
)

// Canned is a ready answer an agent can send: an FAQ answer.
type Canned struct {
	Intent string `json:"intent"`
	Text   string `json:"text"`
}

// cannedAnswers are the FAQ's answers ("faq.answer.<intent>") in lang.
func cannedAnswers(c *i18n.Catalog, lang i18n.Lang, args []any) []Canned {
	p := c.Printer(lang)
	var out []Canned
	for _, k := range c.Keys(lang) {
		intent, ok := strings.CutPrefix(string(k), "faq.answer.")
		if !ok || intent == "none" {
			continue
		}
		out = append(out, Canned{Intent: intent, Text: p.Sprint(i18n.M(k, args...))})
	}
	return out
}

type boardView struct {
	Agent         string              `json:"agent"`
	Open          bool                `json:"open"`
	Conversations []desk.Conversation `json:"conversations"`
	// Waiting and Pending count the line and the messages left outside
	// hours, of which Conversations has the first boardHead each.
	Waiting int         `json:"waiting"`
	Pending int         `json:"pending"`
	Stats   *desk.Stats `json:"stats,omitempty"`
	// StatsUnavailable says the figures were asked for and could not be
	// read: the page says that those it shows are not up to date.
	StatsUnavailable bool `json:"stats_unavailable,omitempty"`
}

// boardHead is how many of the line (and of the messages left outside
// hours) the board lists. Every update of every page fetched the whole
// line: with 1,000 people waiting, 242 KB and a button each, the agent's
// own chats under them (a desk probe). Agents take from the head; the
// rest are counted, and only the head is read (desk.BoardHead).
const boardHead = 50

func (h *Handler) board(w http.ResponseWriter, r *http.Request, s desk.Session) {
	head, err := h.desk.BoardHead(r.Context(), s.Viewer(), boardHead)
	if err != nil {
		h.fail(w, err)
		return
	}
	v := boardView{Agent: s.Agent, Open: h.desk.Hours().Open(h.cfg.Now()), Waiting: head.Waiting, Pending: head.Pending}
	v.Conversations = make([]desk.Conversation, 0, len(head.Conversations)) // a list, even empty, for the page
	for _, c := range head.Conversations {
		v.Conversations = append(v.Conversations, desk.Shown(c))
	}
	if r.URL.Query().Get("stats") != "0" {
		st, err := desk.ComputeStats(r.Context(), h.stats, h.cfg.FunnelStages, h.cfg.Now(), h.desk.Hours().Location())
		if err != nil {
			h.cfg.Log.Warn("desk stats", "err", err)
			v.StatsUnavailable = true
		} else {
			v.Stats = &st
		}
	}
	httpjson.Write(w, http.StatusOK, v)
}

func (h *Handler) cannedList(w http.ResponseWriter, _ *http.Request, _ desk.Session) {
	httpjson.Write(w, http.StatusOK, h.cfg.Canned)
}

// chatOf is the chat the request's path names (see desk.Resolve); false,
// answered, when there is none.
func (h *Handler) chatOf(w http.ResponseWriter, r *http.Request) (string, bool) {
	chat, err := h.desk.Resolve(r.Context(), r.PathValue("chat"))
	if err != nil {
		h.fail(w, err)
		return "", false
	}
	return chat, true
}

func (h *Handler) chat(w http.ResponseWriter, r *http.Request, s desk.Session) {
	chat, ok := h.chatOf(w, r)
	if !ok {
		return
	}
	c, msgs, err := h.desk.Chat(r.Context(), s.Viewer(), chat)
	if err != nil {
		h.fail(w, err)
		return
	}
	out := map[string]any{"conversation": desk.Shown(c), "messages": msgs, "kept": desk.MaxKept}
	h.addDelivery(r.Context(), out, c, msgs)
	httpjson.Write(w, http.StatusOK, out)
}

// takeOver is a supervisor's taking of a chat another agent has.
func (h *Handler) takeOver(w http.ResponseWriter, r *http.Request, s desk.Session) {
	if !s.Viewer().ReadsAll() {
		httpjson.Write(w, http.StatusForbidden, map[string]string{"error": "taking over a chat is for supervisors", "code": desk.RefusedSupervisors})
		return
	}
	chat, ok := h.chatOf(w, r)
	if !ok {
		return
	}
	c, err := h.desk.TakeOver(r.Context(), s.Viewer(), chat)
	if err != nil {
		h.fail(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, desk.Shown(c))
}

func (h *Handler) take(w http.ResponseWriter, r *http.Request, s desk.Session) {
	chat, ok := h.chatOf(w, r)
	if !ok {
		return
	}
	c, err := h.desk.Take(r.Context(), s.Agent, chat)
	if err != nil {
		h.fail(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, desk.Shown(c))
}

func (h *Handler) reply(w http.ResponseWriter, r *http.Request, s desk.Session) {
	var body struct {
		Text string `json:"text"`
		ID   string `json:"id,omitempty"` // the page's id for this reply: sent again, it is not doubled
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&body); err != nil {
		httpjson.Write(w, http.StatusBadRequest, map[string]string{"error": `body must be {"text":"..."}`})
		return
	}
	chat, ok := h.chatOf(w, r)
	if !ok {
		return
	}
	if err := h.desk.ReplyOnce(r.Context(), s.Agent, chat, body.Text, body.ID); err != nil {
		h.fail(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]string{"status": "sent"})
}

func (h *Handler) closeChat(w http.ResponseWriter, r *http.Request, s desk.Session) {
	chat, ok := h.chatOf(w, r)
	if !ok {
		return
	}
	if err := h.desk.Close(r.Context(), s.Agent, chat); err != nil {
		h.fail(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]string{"status": "closed"})
}

// fail answers an error by its kind.
func (h *Handler) fail(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var e *errs.Error
	if errors.As(err, &e) {
		switch e.Kind {
		case errs.NotFound:
			status = http.StatusNotFound
		case errs.Conflict:
			status = http.StatusConflict
		case errs.Invalid:
			status = http.StatusBadRequest
		case errs.Unavailable:
			status = http.StatusServiceUnavailable
		}
	}
	if status >= 500 {
		h.cfg.Log.Error("desk request failed", "err", err)
	}
	// The page says why in its words, by the refusal's name; the error is
	// for the API's other readers.
	out := map[string]string{"error": err.Error()}
	if code := desk.Refusal(err); code != "" {
		out["code"] = code
	}
	httpjson.Write(w, status, out)
}
