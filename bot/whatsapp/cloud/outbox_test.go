package cloud

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// clock is the time of Meta and of the outbox, moved by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// world is the Cloud channel with its outbox in the test Redis, against
// the fake Graph API, on one clock.
type world struct {
	*harness
	clk    *clock
	outbox *bot.Outbox
	relay  *relay.Relay
	rdb    redis.UniversalClient
	local  *bot.Local
}

func newWorld(t *testing.T, gopts ...graphtest.ServerOption) *world {
	return newWorldWith(t, nil, gopts...)
}

// newWorldWith is newWorld with more options for its relay (a meter).
func newWorldWith(t *testing.T, ropts []relay.Option, gopts ...graphtest.ServerOption) *world {
	clk := &clock{t: time.Date(2026, 11, 27, 21, 0, 0, 0, time.UTC)} // a Friday night
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "cloud")
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	local := bot.NewLocal(slog.New(slog.DiscardHandler), bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
	ropts = append([]relay.Option{relay.WithWorkers(0), relay.WithClock(clk.now), relay.WithRetries(5, time.Second, time.Minute)}, ropts...)
	r := relay.New(rdb, prefix, local, slog.New(slog.DiscardHandler), ropts...)
	o := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(r))
	h := newHarnessBot(t, gopts, []bot.Option{bot.WithOutbox(o)}, func(c *Config) { c.Template, c.Receipts = "aviso_mesa", r })
	h.g.Now = clk.now
	h.g.Approve("aviso_mesa", "es_AR")
	local.Register(h.c)
	return &world{harness: h, clk: clk, outbox: o, relay: r, rdb: rdb, local: local}
}

func (w *world) deliver(t *testing.T, key, text string) {
	t.Helper()
	if err := w.outbox.Deliver(context.Background(), "whatsapp:"+alice, key, []convo.Reply{{Msg: i18n.Raw(text)}}); err != nil {
		t.Fatal(err)
	}
}

// waitSent waits until Meta took n messages for alice.
func (w *world) waitSent(t *testing.T, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.g.WaitUntil(ctx, func() bool { return len(w.g.Sent(alice)) >= n }); err != nil {
		t.Fatalf("Meta took %q: %v", w.g.Texts(alice), err)
	}
}

func (w *world) drain(t *testing.T) {
	t.Helper()
	if _, err := w.relay.Drain(context.Background(), "whatsapp:"+alice); err != nil {
		t.Fatal(err)
	}
}

func (w *world) delivery(t *testing.T) bot.ChatDelivery {
	t.Helper()
	d, err := w.relay.Delivery(context.Background(), "whatsapp:"+alice)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// waitStatus waits for the statuses webhooks to bring key to state.
func (w *world) waitStatus(t *testing.T, key string, state bot.State) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for w.delivery(t).Statuses[key].State != state {
		if time.Now().After(deadline) {
			t.Fatalf("%s is %+v, want %s", key, w.delivery(t).Statuses[key], state)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAgentReplyAfterTheWeekendReopensTheConversation(t *testing.T) {
	w := newWorld(t)
	w.g.Text(alice, "hablar con una persona") // Friday 21:00
	w.waitSent(t, 1)
	w.clk.add(60 * time.Hour) // Monday 09:00
	w.deliver(t, "agent:a1", "Buen día, soy Ana. Ya revisé tu caso.")
	w.drain(t)
	if got := w.g.Texts(alice); len(got) != 2 || got[1] != "template:aviso_mesa" {
		t.Fatalf("Meta took %q, want the template and no free text", got)
	}
	d := w.delivery(t)
	if d.Window == nil || d.Window.Template != "aviso_mesa" || d.Window.TemplateStatus == nil || d.Statuses["agent:a1"].State != bot.Held {
		t.Fatalf("desk sees %+v", d)
	}
	// The agent writes again meanwhile: held too, not tried.
	w.deliver(t, "agent:a2", "¿Me confirmás tu CUIL?")
	w.drain(t)
	if got := w.g.Texts(alice); len(got) != 2 {
		t.Fatalf("Meta took %q while the window was closed", got)
	}
	tpl := w.g.Sent(alice)[1]
	if _, code, err := w.g.QuickReply(alice, tpl.ID, "ver", "Ver mensaje"); err != nil || code != 200 {
		t.Fatalf("quick reply: %d %v", code, err)
	}
	w.c.Close()
	got := w.g.Texts(alice)
	if len(got) != 4 || got[2] != "Buen día, soy Ana. Ya revisé tu caso." || got[3] != "¿Me confirmás tu CUIL?" {
		t.Fatalf("Meta took %q, want the held messages in order", got)
	}
	for _, in := range w.engine.Inbounds() {
		if in.Text == "Ver mensaje" {
			t.Fatal("the template's button went to the engine as if the person had said it")
		}
	}
	w.waitStatus(t, "agent:a2", bot.Delivered)
	if d := w.delivery(t); d.Window != nil {
		t.Fatalf("window still shown closed: %+v", d.Window)
	}
}

func TestRefused131047HoldsAndSendsTemplate(t *testing.T) {
	w := newWorld(t)
	// The person wrote before this bot kept track: only Meta knows.
	w.deliver(t, "close:c1", "¿Te sirvió la ayuda?")
	w.drain(t)
	if got := w.g.Texts(alice); len(got) != 1 || got[0] != "template:aviso_mesa" {
		t.Fatalf("Meta took %q", got)
	}
	calls := w.g.Calls()
	if len(calls) != 2 || calls[0].Status != 400 || calls[1].Body["type"] != "template" {
		t.Fatalf("calls %+v: want the refused text, then the template", calls)
	}
	w.waitStatus(t, "close:c1", bot.Held)
	if _, code, err := w.g.Text(alice, "hola"); err != nil || code != 200 {
		t.Fatal(code, err)
	}
	w.c.Close()
	if got := w.g.Texts(alice); len(got) < 2 || got[1] != "¿Te sirvió la ayuda?" {
		t.Fatalf("Meta took %q: the held message comes before the answer to hola", got)
	}
}

func TestFailedMidSendIsNotSentTwice(t *testing.T) {
	for name, f := range map[string]graphtest.Failure{
		"5xx after taking it":            {Status: 500, Code: 131000, Message: "(#131000) Something went wrong", Taken: true},
		"connection cut after taking it": {Taken: true, Drop: true},
		"code 2, not taken: sent later":  graphtest.Temporary,
		"rate limit, not taken: retried": graphtest.RateLimit,
		"pair rate limit, not taken":     graphtest.PairRateLimit,
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			w.g.Text(alice, "hola")
			w.c.Close() // the turn is over
			before := len(w.g.Sent(alice))
			w.g.FailNext(f)
			w.deliver(t, "agent:a1", "Hola, soy Ana")
			w.drain(t)
			if f.Taken {
				w.waitStatus(t, "agent:a1", bot.Delivered) // Meta's statuses, echoing the key
			}
			for range 3 {
				w.clk.add(2 * time.Minute)
				w.drain(t)
			}
			var ana int
			for _, m := range w.g.Sent(alice)[before:] {
				if m.Text == "Hola, soy Ana" {
					ana++
				}
			}
			if ana != 1 {
				t.Fatalf("Meta took the reply %d times, want exactly once", ana)
			}
			if st := w.delivery(t).Statuses["agent:a1"]; st.State != bot.Sent && st.State != bot.Delivered {
				t.Fatalf("status %+v", st)
			}
		})
	}
}

func TestLateReEngagementFailureIsRecovered(t *testing.T) {
	w := newWorld(t, graphtest.WithLateWindowFailures())
	// The person wrote before this bot kept track; Meta takes the text and
	// reports 131047 by webhook afterwards.
	w.deliver(t, "agent:a1", "Hola, soy Ana")
	w.drain(t)
	w.waitStatus(t, "agent:a1", bot.Held)
	w.drain(t)
	texts := w.g.Texts(alice)
	if len(texts) != 2 || texts[1] != "template:aviso_mesa" {
		t.Fatalf("Meta took %q, want the text it failed, then the template", texts)
	}
	if _, code, err := w.g.Text(alice, "hola"); err != nil || code != 200 {
		t.Fatal(code, err)
	}
	w.c.Close()
	if texts := w.g.Texts(alice); len(texts) < 3 || texts[2] != "Hola, soy Ana" {
		t.Fatalf("Meta took %q: the failed text goes again once the person writes", texts)
	}
}

// TestQuestionNotShownIsSentAgainAsText: Meta took a turn's question with
// buttons and reported later that it failed (131026: a WhatsApp that
// cannot show them). It was only logged, and the person waited for a
// question that never came (found by a probe). It goes again, once, as
// numbered text through the outbox; a failure of a question the person
// has moved past sends nothing.
func TestQuestionNotShownIsSentAgainAsText(t *testing.T) {
	w := newWorld(t)
	w.g.Text(alice, "menu")
	w.waitSent(t, 1)
	question := w.g.Sent(alice)[0]
	if question.Type != "interactive" || !strings.HasPrefix(question.Callback, "turn:") {
		t.Fatalf("the question went as %+v", question)
	}
	for range 2 { // Meta may post the failure twice
		if err := w.g.FailLater(question.ID, graphtest.Undeliverable); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.g.WaitUntil(ctx, func() bool {
		w.drain(t)
		return len(w.g.Sent(alice)) >= 2
	}); err != nil {
		t.Fatalf("the question was not sent again: Meta took %q", w.g.Texts(alice))
	}
	again := w.g.Sent(alice)[1]
	if again.Type != "text" || !strings.Contains(again.Text, question.Text) || !strings.Contains(again.Text, "1. "+question.Options[0].Title) {
		t.Fatalf("sent again as %+v, want the question as numbered text", again)
	}
	w.drain(t)
	if n := len(w.g.Sent(alice)); n != 2 {
		t.Fatalf("Meta took %d messages, want the question sent again once: %q", n, w.g.Texts(alice))
	}
}

// TestOutboxQuestionNotShownIsSentAgainAsText: a question with buttons the
// outbox sent (the agent's rating question) that Meta took and reported
// failed (131026) was shown "failed" on the desk and never seen by the
// person (found by a regression probe; a turn's questions were resent).
// It goes again, once, as numbered text.
func TestOutboxQuestionNotShownIsSentAgainAsText(t *testing.T) {
	w := newWorld(t, graphtest.WithoutStatuses()) // it is never delivered
	w.g.Text(alice, "hola")                       // the window is open
	w.waitSent(t, 1)
	ctx := context.Background()
	rating := convo.Reply{Msg: i18n.Raw("¿Te sirvió la ayuda?"), Options: []i18n.Message{i18n.Raw("Me sirvió"), i18n.Raw("No me sirvió")}}
	if err := w.outbox.Deliver(ctx, "whatsapp:"+alice, "close:c1", []convo.Reply{rating}); err != nil {
		t.Fatal(err)
	}
	w.drain(t)
	w.waitSent(t, 2)
	question := w.g.Sent(alice)[1]
	if question.Type != "interactive" || question.Callback != "close:c1" {
		t.Fatalf("the rating went as %+v", question)
	}
	for range 2 { // Meta may post the failure twice
		if err := w.g.FailLater(question.ID, graphtest.Undeliverable); err != nil {
			t.Fatal(err)
		}
	}
	ctx2, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := w.g.WaitUntil(ctx2, func() bool {
		w.drain(t)
		return len(w.g.Sent(alice)) >= 3
	}); err != nil {
		t.Fatalf("the rating was not sent again: Meta took %q", w.g.Texts(alice))
	}
	again := w.g.Sent(alice)[2]
	if again.Type != "text" || !strings.Contains(again.Text, "¿Te sirvió la ayuda?") || !strings.Contains(again.Text, "1. Me sirvió") {
		t.Fatalf("sent again as %+v, want the question as numbered text", again)
	}
	w.drain(t)
	if n := len(w.g.Sent(alice)); n != 3 {
		t.Fatalf("Meta took %d messages, want the rating sent again once: %q", n, w.g.Texts(alice))
	}
}

// TestCloseCutsAHungSend: serve stops while a turn's reply is in flight
// to a Graph API that took the request and stalls. Close waited for the
// HTTP client's 20 s, for the read receipt and again for each reply, long
// after serve said "stopped" and past its grace, when the process is
// killed with the reply (a resilience probe against serve with a proxy
// that hangs /messages). Once Close begins, a call in flight is cut after
// a moment and the turn leaves its replies to the outbox.
func TestCloseCutsAHungSend(t *testing.T) {
	w := newWorld(t)
	w.g.FailNext(graphtest.Failure{Hang: true})
	id, _, err := w.g.Text(alice, "hola")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.g.WaitUntil(ctx, func() bool {
		for _, c := range w.g.Calls() {
			if c.Body["status"] != "read" && c.Status == 0 {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal("the reply never left")
	}
	closed := make(chan struct{})
	go func() { w.c.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(8 * time.Second):
		t.Fatal("Close still waits for a hung call 8 s after it began")
	}
	if _, ok := w.delivery(t).Statuses["reply:"+id]; !ok {
		t.Fatalf("outbox after Close: %+v, want the turn's reply kept", w.delivery(t))
	}
}

// TestTurnReplyTakenDespiteA5xxIsNotSentAgain: Meta took a turn's reply
// and answered 500 (131000), or the connection was cut after it took it.
// The turn retried in place and Meta took it again, then what still
// failed went to the outbox, which sent it once more (a person got the
// same answer twice). The reply now carries the key the outbox keeps it
// under; an answer that may mean Meta took it sends nothing more in the
// turn, and the outbox waits for Meta's statuses before trying again.
func TestTurnReplyTakenDespiteA5xxIsNotSentAgain(t *testing.T) {
	for name, f := range map[string]graphtest.Failure{
		"5xx after taking it":            {Status: 500, Code: 131000, Message: "(#131000) Something went wrong", Taken: true},
		"connection cut after taking it": {Taken: true, Drop: true},
		"5xx, not taken: sent later":     graphtest.ServerError,
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			w.g.FailNext(f)
			id, code, err := w.g.Text(alice, "hola")
			if err != nil || code != 200 {
				t.Fatal(code, err)
			}
			w.c.Close()
			if !f.Taken {
				if st := w.delivery(t).Statuses["reply:"+id]; st.State != bot.Retrying {
					t.Fatalf("a reply waiting for Meta's word shows %+v, want retrying", st)
				}
			}
			if f.Taken {
				// Meta's statuses, echoing the key (not at all on the
				// old code: the key was not sent).
				for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
					if w.delivery(t).Statuses["reply:"+id].State == bot.Delivered {
						break
					}
				}
			}
			for range 3 {
				w.clk.add(2 * time.Minute)
				w.drain(t)
			}
			var n int
			for _, m := range w.g.Sent(alice) {
				if m.Text == "echo hola" {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("Meta took the reply %d times (%q), want exactly once", n, w.g.Texts(alice))
			}
		})
	}
}

// TestArrivalDoesNotResendBeforeMetasWord: an agent's message got a 5xx
// from a Meta that took it, and the outbox waited for Meta's statuses
// before trying again; the person wrote before they came (Meta does not
// promise the webhooks' order), and the arrival made the message due at
// once: it went again, and the person read it twice. A message whose send
// got no answer still waits for Meta's word, or its time, when the person
// writes.
func TestArrivalDoesNotResendBeforeMetasWord(t *testing.T) {
	w := newWorld(t, graphtest.WithParallelWebhooks(4))
	hold := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(hold) }) }
	defer release()
	slow := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte(`"statuses"`)) {
			<-hold // Meta's statuses come late
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		w.c.ServeHTTP(rw, r)
	}))
	defer slow.Close()
	w.g.SetWebhook(slow.URL)
	w.g.Text(alice, "hola")
	w.waitSent(t, 1)
	w.g.FailNext(graphtest.Failure{Status: 500, Code: 131000, Message: "(#131000) Something went wrong", Taken: true})
	w.deliver(t, "agent:a1", "Hola, soy Ana")
	w.drain(t)
	w.g.Text(alice, "¿hola?")
	w.waitSent(t, 3) // the echo of hola, Ana's message, the echo of ¿hola?
	release()
	w.waitStatus(t, "agent:a1", bot.Delivered)
	for range 3 {
		w.clk.add(2 * time.Minute)
		w.drain(t)
	}
	var ana int
	for _, m := range w.g.Sent(alice) {
		if m.Text == "Hola, soy Ana" {
			ana++
		}
	}
	if ana != 1 {
		t.Fatalf("Meta took the agent's message %d times (%q), want once", ana, w.g.Texts(alice))
	}
}

// TestHeldPlacesInTheLineAreSuperseded: with the window closed (a
// weekend in the desk's line), every place the person was told waited,
// held, and all went out when they wrote: "lugar 3", "lugar 2", "lugar
// 1", the first two long untrue. A newer place supersedes a waiting one,
// and the desk takes back those waiting when the person leaves the line.
func TestHeldPlacesInTheLineAreSuperseded(t *testing.T) {
	w := newWorld(t)
	w.g.Text(alice, "hablar con una persona")
	w.waitSent(t, 1)
	w.clk.add(30 * time.Hour)
	for i, text := range []string{"lugar 3", "lugar 2", "lugar 1"} {
		w.deliver(t, "position:p"+strconv.Itoa(i), text)
		w.drain(t)
	}
	if d := w.delivery(t); d.Waiting != 1 {
		t.Fatalf("%d places wait, want the latest only: %+v", d.Waiting, d)
	}
	w.deliver(t, "agent:a1", "Hola, soy Ana")
	if err := w.outbox.Withdraw(context.Background(), "whatsapp:"+alice, "position"); err != nil {
		t.Fatal(err)
	}
	if _, code, err := w.g.Text(alice, "hola"); err != nil || code != 200 {
		t.Fatal(code, err)
	}
	w.c.Close()
	for _, s := range w.g.Texts(alice) {
		if strings.HasPrefix(s, "lugar") {
			t.Fatalf("Meta took %q: a place that no longer held went out", w.g.Texts(alice))
		}
	}
	if !slices.Contains(w.g.Texts(alice), "Hola, soy Ana") {
		t.Fatalf("Meta took %q: the agent's message did not go", w.g.Texts(alice))
	}
}

// An account Meta blocks for a while (368), locks (131031) or will not
// charge (131042) refuses every message; the agent's reply and the
// turn's replies were dead letters at their first try, lost once the
// block lifted. They wait, retried, and go out when Meta takes them.
func TestAccountBlockKeepsMessages(t *testing.T) {
	for _, f := range []graphtest.Failure{graphtest.PolicyBlock, graphtest.AccountLocked, graphtest.PaymentIssue} {
		t.Run(strconv.Itoa(f.Code), func(t *testing.T) {
			w := newWorld(t)
			id, code, err := w.g.Text(alice, "hablar con una persona")
			if err != nil || code != 200 {
				t.Fatal(code, err)
			}
			w.waitSent(t, 1)
			w.g.FailNext(f, f, f)
			w.deliver(t, "agent:a1", "Buen día, soy Ana.")
			w.drain(t)
			if _, code, err := w.g.Text(alice, "hola?"); err != nil || code != 200 {
				t.Fatal(code, err)
			}
			w.c.Close()
			d := w.delivery(t)
			if st := d.Statuses["agent:a1"]; st.State != bot.Retrying || st.Code != strconv.Itoa(f.Code) {
				t.Fatalf("the agent's reply during the block: %+v, want retrying with code %d", st, f.Code)
			}
			if dead, err := w.relay.DeadLetters(context.Background(), 10); err != nil || len(dead) != 0 {
				t.Fatalf("dead letters %+v (%v), want none", dead, err)
			}
			for range 5 {
				w.clk.add(2 * time.Minute)
				w.drain(t)
			}
			want := []string{"echo hablar con una persona", "Buen día, soy Ana.", "echo hola?"}
			if got := w.g.Texts(alice); !slices.Equal(got, want) {
				t.Fatalf("Meta took %q, want %q", got, want)
			}
			if st := w.delivery(t).Statuses["agent:a1"]; st.State != bot.Sent && st.State != bot.Delivered {
				t.Fatalf("after the block: %+v (person's message %s)", st, id)
			}
		})
	}
}

// TestRepliesWaitBehindTheOutbox: a turn's reply Meta refused for
// throughput (130429) past its retries in place waits in the outbox; the
// person writes again, the outbox's try is refused once more, and the
// new turn's reply, retried in place, went out first. It goes behind.
func TestRepliesWaitBehindTheOutbox(t *testing.T) {
	w := newWorld(t)
	rl := graphtest.RateLimit
	w.g.FailNext(rl, rl, rl) // the turn's tries: 1 s and 2 s in place, the rest the outbox's
	id, code, err := w.g.Text(alice, "uno")
	if err != nil || code != 200 {
		t.Fatal(code, err)
	}
	w.waitQueued(t, "reply:"+id)
	slow := rl
	slow.RetryAfter = "60"
	w.g.FailNext(slow, rl) // the outbox's try at the arrival, the turn's first
	id, code, err = w.g.Text(alice, "dos")
	if err != nil || code != 200 {
		t.Fatal(code, err)
	}
	w.c.Close()
	for range 3 {
		w.clk.add(2 * time.Minute)
		w.drain(t)
	}
	want := []string{"echo uno", "echo dos"}
	if got := w.g.Texts(alice); !slices.Equal(got, want) {
		t.Fatalf("Meta took %q, want %q", got, want)
	}
}

// waitQueued waits until the outbox keeps key.
func (w *world) waitQueued(t *testing.T, key string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); w.delivery(t).Statuses[key].State == ""; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s never reached the outbox: %+v", key, w.delivery(t))
		}
	}
}

// TestLongRateLimitsLeaveTheLane: a turn's reply Meta refused for rate was
// retried in place 1+2+4+8 s, holding the chat's worker, and every chat
// of that worker, the while: 131056 (Meta lets a business write to one
// person about once every 6 s) and 130429 (the number's throughput) alike.
// With an outbox, a turn waits a few seconds at most; the reply goes to
// the outbox, which sends it, in order, when Meta lets it.
func TestLongRateLimitsLeaveTheLane(t *testing.T) {
	pair, rate := graphtest.PairRateLimit, graphtest.RateLimit
	for _, tc := range []struct {
		name  string
		fails []graphtest.Failure
	}{
		{"131056", []graphtest.Failure{pair, pair, pair}},
		{"130429", []graphtest.Failure{rate, rate, rate, rate, rate}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.g.FailNext(tc.fails...)
			if _, code, err := w.g.Text(alice, "uno"); err != nil || code != 200 {
				t.Fatal(code, err)
			}
			w.c.Close() // the turn ends
			w.mu.Lock()
			var waited time.Duration
			for _, d := range w.sleeps {
				waited += d
			}
			w.mu.Unlock()
			if waited > maxInPlace {
				t.Fatalf("the turn waited %v in place (%v)", waited, w.sleeps)
			}
			for range 4 {
				w.clk.add(2 * time.Minute)
				w.drain(t)
			}
			if got, want := w.g.Texts(alice), []string{"echo uno"}; !slices.Equal(got, want) {
				t.Fatalf("Meta took %q, want %q", got, want)
			}
		})
	}
}
