package cloud

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
)

// maxBody bounds a webhook delivery; Meta's are a few kilobytes.
const maxBody = 1 << 20

// ServeHTTP serves the webhook: GET for Meta's subscription handshake,
// POST for deliveries. A delivery is answered as soon as it is queued:
// Meta retries slow answers, and the turns may take seconds.
func (c *Cloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		c.verify(w, r)
	case http.MethodPost:
		c.receive(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// verify answers the subscription handshake by echoing the challenge.
func (c *Cloud) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	token := q.Get("hub.verify_token")
	if q.Get("hub.mode") != "subscribe" || subtle.ConstantTimeCompare([]byte(token), []byte(c.cfg.VerifyToken)) != 1 {
		c.log.Warn("webhook verification refused")
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, q.Get("hub.challenge"))
}

func (c *Cloud) receive(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if !c.signed(body, r.Header.Get("X-Hub-Signature-256")) {
		c.log.Warn("webhook with a bad signature refused")
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	ours, others := p.values(c.cfg.PhoneNumberID)
	for _, number := range others {
		// The number is the business's, not a person's.
		c.log.Warn("webhook change for another number ignored", "phone_number_id", number)
	}
	for _, v := range ours {
		if err := c.statuses(r.Context(), v.Statuses); err != nil {
			// Meta delivers it again later: the statuses are not lost.
			c.log.Warn("statuses not recorded; asking Meta to send them again", "err", err)
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		for _, m := range v.Messages {
			c.enqueue(r.Context(), m)
		}
	}
	w.WriteHeader(http.StatusOK)
}

// statuses hands Meta's statuses to the outbox, which matches them to its
// messages by the key Meta echoes or else by the message id; failures are
// logged. Those of a turn's replies, marked so, stay here, but for the
// "sent" of one that carries the key the outbox keeps it under when the
// turn could not be sure it went (see SendKeyed): one status a reply,
// none for a reply whose send Meta answered in this process (see
// takenReplies).
func (c *Cloud) statuses(ctx context.Context, ss []status) error {
	rc := c.cfg.Receipts
	for _, s := range ss {
		r, ok := s.receipt()
		if !ok {
			continue
		}
		question, key, turn := turnQuestion(r.Key)
		if turn && key != "" && r.State == bot.Sent && !c.taken.has(ctx, key) {
			// Meta's first word on a reply is all a turn's send that
			// got no answer waits for; the later ones stop here, as
			// does this one for a send Meta answered here: the outbox
			// never gets that reply, so nothing waits for its word.
			r.Key, r.Turn, turn = key, true, false
		}
		if r.State == bot.Failed {
			c.log.Warn("message not delivered", "code", r.Code, "reason", r.Reason, "tracked", r.Key != "" && !turn)
			if turn && c.cfg.ReplyUndelivered != nil {
				c.cfg.ReplyUndelivered(r.Code)
			}
			if err := c.undelivered(ctx, r, question, key, turn); err != nil {
				return err
			}
		}
		if rc == nil || turn {
			continue
		}
		if err := rc.Receipt(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// undelivered sends again what Meta took and could not deliver: a turn's
// question, while it is still the chat's, as numbered text (131026: a
// phone that cannot show it); a turn's other reply, once, when it failed
// for a reason that may pass (r.Again: 130429, 131056, 131000, code 2…),
// where it was only counted (a channels probe), or for the closed 24-hour
// window (131047: the answer to a message Meta delivered again a day
// late), which the outbox holds for the person, sending the template. The
// outbox's own messages are the relay's (see relay.Receipt).
func (c *Cloud) undelivered(ctx context.Context, r bot.Receipt, question, key string, turn bool) error {
	switch {
	case question != "":
		_, err := c.bot.Undelivered(ctx, r.Chat, question, r.ID)
		return err
	case turn && (r.Again || r.Code == reEngagement) && key != "":
		_, err := c.bot.Redeliver(ctx, r.Chat, key)
		return err
	}
	return nil
}

// reEngagement is Meta's code for a message refused because the person's
// 24-hour window closed.
const reEngagement = "131047"

// signed checks "sha256=<hex HMAC-SHA256 of the raw body>" in constant time.
func (c *Cloud) signed(body []byte, header string) bool {
	got, err := hex.DecodeString(strings.TrimPrefix(header, "sha256="))
	if err != nil || !strings.HasPrefix(header, "sha256=") {
		return false
	}
	mac := hmac.New(sha256.New, []byte(c.cfg.AppSecret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// enqueue queues one message behind its chat's earlier ones. Meta
// redelivers for days what it thinks failed: a message id seen lately is
// dropped here, older ones by the engine. The message is kept in the
// inbox first: the webhook's 200 tells Meta never to post it again, and
// the lane is this process's memory, which a kill loses.
func (c *Cloud) enqueue(ctx context.Context, m message) {
	in, kind, question, ok := m.inbound()
	if !ok {
		c.log.Debug("message kind not handled", "type", m.Type)
		return
	}
	if c.seen.Has(m.ID) {
		c.log.Debug("duplicate delivery dropped", "id", m.ID)
		return
	}
	kept := c.keep(ctx, m)
	if !c.seen.Add(m.ID) {
		c.log.Debug("duplicate delivery dropped", "id", m.ID)
		return
	}
	c.seq.Do(in.Chat, func() {
		c.turn(m.From, in, kind, question)
		c.done(m.ID, kept)
	})
}

// keep puts m in the inbox, reporting whether it did. Redis refusing it
// leaves the message to this process's memory, as without an inbox: the
// person still gets the turn's answer (an apology, with Redis down).
func (c *Cloud) keep(ctx context.Context, m message) bool {
	if c.cfg.Inbox == nil {
		return false
	}
	raw, err := json.Marshal(m)
	if err == nil {
		err = c.cfg.Inbox.Put(ctx, m.ID, raw)
	}
	if err != nil {
		c.log.Warn("message not kept in the inbox: lost if this process stops before its turn ends", "err", err)
		return false
	}
	return true
}

// done forgets a message kept in the inbox, its turn ended.
func (c *Cloud) done(id string, kept bool) {
	if !kept {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.cfg.Inbox.Done(ctx, id); err != nil {
		// Another process runs it again after the lease: the engine
		// knows its id and answers nothing twice.
		c.log.Warn("message answered but not taken off the inbox", "err", err)
	}
}

// redo runs a message a process that stopped had taken from the webhook
// and not finished (see Inbox).
func (c *Cloud) redo(id string, raw []byte) {
	var m message
	if err := json.Unmarshal(raw, &m); err != nil {
		c.log.Error("a message from the inbox does not read", "err", err)
		c.done(id, true)
		return
	}
	in, kind, question, ok := m.inbound()
	if !ok {
		c.done(id, true)
		return
	}
	c.seen.Add(m.ID)
	c.seq.Do(in.Chat, func() {
		c.turn(m.From, in, kind, question)
		c.done(id, true)
	})
}

func (c *Cloud) turn(to string, in convo.Inbound, kind int, question string) {
	ctx, cancel := c.turnContext()
	defer cancel()
	if err := c.markRead(ctx, in.ID); err != nil {
		c.log.Debug("mark read failed", "err", err)
	}
	switch kind {
	case kindTap:
		c.bot.Tap(ctx, c, to, in, question)
	case kindReopen:
		c.bot.Resume(ctx, c, to, in)
	default:
		c.bot.Turn(ctx, c, to, in)
	}
}
