package cloud

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

func TestSendOnceClassifiesMetasAnswers(t *testing.T) {
	ra := graphtest.RateLimit
	ra.RetryAfter = "7"
	tests := []struct {
		name    string
		fail    graphtest.Failure
		failure bot.Failure
		code    string
		confirm bool
		after   time.Duration
	}{
		{"closed window", graphtest.ReEngagement, bot.Window, "131047", false, 0},
		{"throughput", ra, bot.Retry, "130429", false, 7 * time.Second},
		{"pair rate", graphtest.PairRateLimit, bot.Retry, "131056", false, pairPace},
		{"account rate", graphtest.AccountRateLimit, bot.Retry, "80007", false, 0},
		{"code 2", graphtest.Temporary, bot.Unsure, "2", true, 0},
		{"5xx", graphtest.ServerError, bot.Unsure, "131000", true, 0},
		{"undeliverable", graphtest.Undeliverable, bot.Refused, "131026", false, 0},
		{"token expired", graphtest.TokenExpired, bot.Retry, "190", false, 0},
		// The business account blocked, locked or unpaid: no fault of this
		// message's, and lifted by Meta or an operator; each was a dead
		// letter at its first try.
		{"policy block", graphtest.PolicyBlock, bot.Retry, "368", false, 0},
		{"account locked", graphtest.AccountLocked, bot.Retry, "131031", false, 0},
		{"payment issue", graphtest.PaymentIssue, bot.Retry, "131042", false, 0},
		{"no answer", graphtest.Failure{Drop: true}, bot.Unsure, "", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.say(t, "hola") // the window opens; the turn is over
			h.g.FailNext(tt.fail)
			_, err := h.c.SendOnce(context.Background(), alice, bot.Message{Text: "hola"}, "agent:k1")
			var se *bot.SendError
			if !errors.As(err, &se) || se.Failure != tt.failure || se.Code != tt.code || (se.ConfirmWithin > 0) != tt.confirm || se.RetryAfter != tt.after {
				t.Fatalf("SendOnce = %#v, want %s code %q", se, tt.failure, tt.code)
			}
			if len(h.sleeps) != 0 {
				t.Fatalf("SendOnce waited %v: retries are the outbox's", h.sleeps)
			}
		})
	}
	t.Run("nobody listening", func(t *testing.T) {
		h := newHarness(t, func(c *Config) { c.APIURL = "http://127.0.0.1:1" })
		defer h.c.Close()
		_, err := h.c.SendOnce(context.Background(), alice, bot.Message{Text: "hola"}, "agent:k1")
		if se := bot.Classify(err); se.Failure != bot.Retry {
			t.Fatalf("a request that never left: %v, want retry", se)
		}
	})
}

func TestSendOnceCarriesTheKey(t *testing.T) {
	h := newHarness(t)
	h.say(t, "hola")
	id, err := h.c.SendOnce(context.Background(), alice, bot.Message{Text: "elegí", Options: []string{"sí", "no"}, Question: "q1234567"}, "close:c1")
	if err != nil || id == "" {
		t.Fatalf("SendOnce = %q, %v", id, err)
	}
	m := h.g.Sent(alice)
	last := m[len(m)-1]
	if last.Callback != "close:c1" || last.ID != id || last.Kind != "button" || last.Options[0].ID != "q1234567.1" {
		t.Fatalf("Meta took %+v", last)
	}
}

func TestReopenSendsTheApprovedTemplate(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Template = "aviso_mesa" })
	defer h.c.Close()
	if _, err := h.c.Reopen(context.Background(), alice, "template:t1"); bot.Classify(err).Code != "132001" || bot.Classify(err).Failure != bot.Refused {
		t.Fatalf("a template Meta did not approve: %v", err)
	}
	h.g.Approve("aviso_mesa", "es_AR")
	id, err := h.c.Reopen(context.Background(), alice, "template:t1")
	if err != nil {
		t.Fatal(err)
	}
	// Outside the window: alice never wrote, and still the template goes.
	m := h.g.Sent(alice)
	if len(m) != 1 || m[0].ID != id || m[0].Template != "aviso_mesa/es_AR" || m[0].Callback != "template:t1" {
		t.Fatalf("Meta took %+v", m)
	}
	none := newHarness(t)
	defer none.c.Close()
	if _, err := none.c.Reopen(context.Background(), alice, "template:t2"); !errors.Is(err, bot.ErrNoTemplate) {
		t.Fatalf("without a template: %v", err)
	}
}

func TestStaleTapsAreNotAnswers(t *testing.T) {
	h := newHarness(t)
	h.g.Text(alice, "menu")
	h.g.Text(alice, "menu") // the same menu again, a new message
	h.c.Close()
	sent := h.g.Sent(alice)
	old, cur := sent[0], sent[1]
	if old.Options[1].ID == cur.Options[1].ID {
		t.Fatalf("two menus share option ids: %q", old.Options[1].ID)
	}
	h.c = restart(t, h)
	tap := func(m graphtest.Message, i int) {
		t.Helper()
		if _, code, err := h.g.Tap(alice, m.ID, m.Options[i].ID); err != nil || code != 200 {
			t.Fatalf("tap: %d %v", code, err)
		}
	}
	tap(old, 1) // an earlier menu: not an answer
	tap(cur, 1) // the current one: the answer "2"
	tap(cur, 2) // the current one again: already answered
	h.c.Close()
	var texts []string
	for _, in := range h.engine.Inbounds() {
		if in.StaleTap {
			in.Text = "stale " + in.Text
		}
		texts = append(texts, in.Text)
	}
	// The last tap found no question with options on screen (the answer
	// to "2" has none): the engine is told of it as stale, to ask its
	// question again, rather than the person told to answer a question
	// that is not there.
	if got := strings.Join(texts, ","); got != "menu,menu,2,stale 3" {
		t.Fatalf("the engine got %q, want the tap on the current menu as an answer, the last as stale", got)
	}
	replies := h.g.Texts(alice)
	stale := 0
	for _, r := range replies {
		if strings.Contains(r, "mensaje anterior") {
			stale++
		}
	}
	if stale != 1 {
		t.Fatalf("replies %q: want one kind explanation, for the earlier menu", replies)
	}
}

// restart serves the same fake with a new Cloud (Close ended the old one's
// workers), keeping its memory of questions in the same bot.
func restart(t *testing.T, h *harness) *Cloud {
	c, err := New(h.c.cfg, h.c.bot, h.c.log)
	if err != nil {
		t.Fatal(err)
	}
	h.hook.Config.Handler = c
	return c
}

// receipts records what the webhook hands to the outbox.
type receipts struct {
	mu  sync.Mutex
	got []bot.Receipt
}

func (r *receipts) Receipt(_ context.Context, rc bot.Receipt) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, rc)
	return nil
}

func (r *receipts) list() []bot.Receipt {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Receipt(nil), r.got...)
}

func TestStatusesReachTheOutbox(t *testing.T) {
	rc := &receipts{}
	h := newHarness(t, func(c *Config) { c.Receipts = rc })
	h.say(t, "hola")
	id, err := h.c.SendOnce(context.Background(), alice, bot.Message{Text: "soy Ana"}, "agent:a1")
	if err != nil {
		t.Fatal(err)
	}
	h.g.Deliver(id)
	h.g.Read(id)
	h.g.FailLater(id, graphtest.ReEngagement)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.g.WaitUntil(ctx, func() bool { return len(rc.list()) == 3 }); err != nil {
		t.Fatalf("receipts %+v: %v", rc.list(), err)
	}
	got := rc.list()
	for i, want := range []bot.State{bot.Delivered, bot.Read, bot.Failed} {
		if r := got[i]; r.State != want || r.Key != "agent:a1" || r.ID != id || r.Chat != "whatsapp:"+alice {
			t.Fatalf("receipt %d = %+v, want %s of agent:a1", i, r, want)
		}
	}
	if r := got[2]; r.Code != "131047" || !strings.Contains(r.Reason, "24 hours") {
		t.Fatalf("failed receipt %+v", r)
	}
	// A turn's reply carries the turn's mark, which Meta echoes: its
	// statuses (two or three for every reply) stop at the webhook, costing
	// the outbox nothing, but for the first, "sent", which a send that got
	// no answer waits for (TestTurnReplyTakenDespiteA5xxIsNotSentAgain). A status that comes without any key (Meta did not
	// echo it) still goes to the outbox, which matches it by its id.
	reply := h.g.Sent(alice)[0].ID
	h.g.Deliver(reply)
	h.g.Read(reply)
	h.g.FailLater(reply, graphtest.Undeliverable)
	if err := h.g.WaitUntil(ctx, func() bool { return len(h.g.WebhookStatuses()) == 7 }); err != nil {
		t.Fatal(err)
	}
	if got := rc.list(); len(got) != 3 {
		t.Fatalf("a turn's reply's statuses reached the outbox: %+v", got[3:])
	}
	st := map[string]any{"id": reply, "status": "delivered", "timestamp": "1767225600", "recipient_id": alice}
	body := graphtest.Payload(h.g.PhoneNumberID, h.g.DisplayNumber, nil, []map[string]any{st})
	if w := h.post(body, graphtest.Sign(h.g.AppSecret, body)); w.Code != 200 {
		t.Fatalf("webhook answered %d", w.Code)
	}
	if got := rc.list(); len(got) != 4 || got[3].Key != "" || got[3].ID != reply {
		t.Fatalf("an unkeyed status did not reach the outbox by its id: %+v", got)
	}
}

// TestUndeliveredRepliesAreCounted: a turn's reply Meta took and
// reported later it could not deliver was only a log line ("message not
// delivered"): the outbox never had it, so no metric, no desk. It is
// counted by code (serve: clavebot_replies_undelivered_total); the
// outbox's own messages are the outbox's to count.
func TestUndeliveredRepliesAreCounted(t *testing.T) {
	var mu sync.Mutex
	var codes []string
	rc := &receipts{}
	h := newHarness(t, func(c *Config) {
		c.Receipts = rc
		c.ReplyUndelivered = func(code string) { mu.Lock(); defer mu.Unlock(); codes = append(codes, code) }
	})
	h.say(t, "hola")
	id, err := h.c.SendOnce(context.Background(), alice, bot.Message{Text: "soy Ana"}, "agent:a1")
	if err != nil {
		t.Fatal(err)
	}
	reply := h.g.Sent(alice)[0].ID
	h.g.FailLater(reply, graphtest.Undeliverable)
	h.g.FailLater(id, graphtest.Undeliverable)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Meta posts in order: the outbox's failure comes after the reply's.
	if err := h.g.WaitUntil(ctx, func() bool {
		return slices.ContainsFunc(rc.list(), func(r bot.Receipt) bool { return r.State == bot.Failed })
	}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(codes, []string{"131026"}) {
		t.Fatalf("counted %q, want the turn's reply's 131026 once", codes)
	}
}
