package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/httpjson"
)

// DeliverySource tells what became of the messages sent to people outside
// their turn; *relay.Relay is one.
type DeliverySource interface {
	Delivery(ctx context.Context, chat string) (bot.ChatDelivery, error)
	DeadLetters(ctx context.Context, limit int) ([]bot.DeadLetter, error)
	Resend(ctx context.Context, chat, key string) error
	Discard(ctx context.Context, chat, key string) error
}

// deliveryView serves the page's delivery panel: each agent message's
// status (sent, delivered, read, failed and why), a chat whose WhatsApp
// window closed or whose person blocked the bot, and the messages given
// up, which an agent may send again or discard.
type deliveryView struct {
	h   *Handler
	src DeliverySource
}

// registerDelivery mounts the delivery API on mux (WithDelivery); the chat
// API then carries each message's delivery too.
func (h *Handler) registerDelivery(mux *http.ServeMux, src DeliverySource) {
	v := &deliveryView{h: h, src: src}
	mux.Handle("GET /desk/api/chats/{chat}/delivery", h.secure(h.agent(v.chat)))
	mux.Handle("GET /desk/api/undelivered", h.secure(h.agent(v.undelivered)))
	mux.Handle("POST /desk/api/undelivered/resend", h.secure(h.agent(v.resend)))
	mux.Handle("POST /desk/api/undelivered/discard", h.secure(h.agent(v.discard)))
}

// chat is what became of a chat's messages, for whoever may read the
// chat (a supervisor, also of a chat no longer on the desk).
func (v *deliveryView) chat(w http.ResponseWriter, r *http.Request, s desk.Session) {
	chat, ok := v.h.chatOf(w, r)
	if !ok {
		return
	}
	if !s.Viewer().ReadsAll() {
		if _, _, err := v.h.desk.Chat(r.Context(), s.Viewer(), chat); err != nil {
			v.h.fail(w, err)
			return
		}
	}
	d, err := v.src.Delivery(r.Context(), chat)
	if err != nil {
		v.h.fail(w, err)
		return
	}
	d.Chat = r.PathValue("chat") // as the page names it
	httpjson.Write(w, http.StatusOK, d)
}

// maxUndelivered bounds the list, per channel.
const maxUndelivered = 100

// undelivered lists the messages given up that the viewer may see
// (desk.MaySeeUndelivered).
func (v *deliveryView) undelivered(w http.ResponseWriter, r *http.Request, s desk.Session) {
	limit := maxUndelivered
	if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && n > 0 && n < limit {
		limit = n
	}
	list, err := v.src.DeadLetters(r.Context(), limit)
	if err != nil {
		v.h.fail(w, err)
		return
	}
	out := []bot.DeadLetter{}
	for _, d := range list {
		ok, err := v.h.desk.MaySeeUndelivered(r.Context(), s.Viewer(), d.Chat, d.Key)
		if err != nil {
			v.h.fail(w, err)
			return
		}
		if ok {
			d.Chat = v.h.desk.LetterLabel(r.Context(), d.Chat) // the page reads it, and names it back
			out = append(out, d)
		}
	}
	httpjson.Write(w, http.StatusOK, out)
}

// errNoLetter answers a message given up that is not there, or not the
// viewer's to see: the two look the same.
var errNoLetter = errs.E(errs.NotFound, "undelivered", errors.New("no such undelivered message"))

type letterRef struct {
	Chat string `json:"chat"`
	Key  string `json:"key"`
}

// ref reads the message given up a request names, if the viewer may act
// on it.
func (v *deliveryView) ref(w http.ResponseWriter, r *http.Request, s desk.Session) (letterRef, bool) {
	var ref letterRef
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&ref); err != nil || ref.Chat == "" || ref.Key == "" {
		httpjson.Write(w, http.StatusBadRequest, map[string]string{"error": `body must be {"chat":"...","key":"..."}`})
		return ref, false
	}
	chat, err := v.letterChat(r.Context(), ref)
	ok := false
	if err == nil {
		ok, err = v.h.desk.MaySeeUndelivered(r.Context(), s.Viewer(), chat, ref.Key)
	}
	if err == nil && !ok {
		err = errNoLetter
	}
	if err != nil {
		v.h.fail(w, err)
		return ref, false
	}
	ref.Chat = chat
	return ref, true
}

// letterChat is the chat of the message given up that ref names: the page
// names it as it was shown (a WhatsApp number masked), so it is found by
// its key among those listed.
func (v *deliveryView) letterChat(ctx context.Context, ref letterRef) (string, error) {
	list, err := v.src.DeadLetters(ctx, maxUndelivered)
	if err != nil {
		return "", err
	}
	for _, d := range list {
		if d.Key == ref.Key && (d.Chat == ref.Chat || desk.Label(d.Chat) == desk.Unmarked(ref.Chat)) {
			return d.Chat, nil
		}
	}
	return "", errNoLetter
}

func (v *deliveryView) resend(w http.ResponseWriter, r *http.Request, s desk.Session) {
	ref, ok := v.ref(w, r, s)
	if !ok {
		return
	}
	if err := v.src.Resend(r.Context(), ref.Chat, ref.Key); err != nil {
		v.h.fail(w, err)
		return
	}
	v.h.cfg.Log.Info("undelivered message sent again", "agent", s.Agent, "kind", bot.KindOf(ref.Key))
	httpjson.Write(w, http.StatusOK, map[string]string{"status": "queued"})
}

func (v *deliveryView) discard(w http.ResponseWriter, r *http.Request, s desk.Session) {
	ref, ok := v.ref(w, r, s)
	if !ok {
		return
	}
	if err := v.src.Discard(r.Context(), ref.Chat, ref.Key); err != nil {
		v.h.fail(w, err)
		return
	}
	v.h.cfg.Log.Info("undelivered message discarded", "agent", s.Agent, "kind", bot.KindOf(ref.Key))
	httpjson.Write(w, http.StatusOK, map[string]string{"status": "discarded"})
}

// messageView is a desk message with what became of it.
type messageView struct {
	desk.Message
	Delivery *bot.Status `json:"delivery,omitempty"`
}

// addDelivery puts into a chat's answer each agent message's status and
// the chat's delivery state; without a DeliverySource, or when it fails,
// the answer stays as it was.
func (h *Handler) addDelivery(ctx context.Context, out map[string]any, c desk.Conversation, msgs []desk.Message) {
	if h.cfg.Delivery == nil {
		return
	}
	d, err := h.cfg.Delivery.Delivery(ctx, c.Chat)
	if err != nil {
		h.cfg.Log.Warn("delivery statuses not shown", "err", err)
		return
	}
	views := make([]messageView, len(msgs))
	for i, m := range msgs {
		views[i].Message = m
		if st, ok := d.Statuses[m.ID]; ok && m.ID != "" {
			views[i].Delivery = &st
		}
	}
	out["messages"] = views
	d.Chat = desk.Ref(c.Chat, c.ID)
	out["delivery"] = d
}
