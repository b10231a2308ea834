package telegram_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/lease"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/testenv"
)

func TestTapIsAnsweredWhileTheChatIsBusy(t *testing.T) {
	eng := newFakeEngine()
	release := make(chan struct{})
	eng.gate = func(ctx context.Context, in convo.Inbound) {
		if in.Text == "lento" {
			<-release
		}
	}
	h, _ := newHarness(t, eng)
	h.run(t)
	defer close(release)
	h.api.Text(1001, "opciones")
	h.waitReplies(t, 1001, 1)
	question := h.api.BotMessages(1001)[0]
	h.api.Text(1001, "lento") // a turn that takes long
	h.waitFor(t, "the slow turn", func() bool { return len(eng.inbound("telegram:1001")) == 2 })
	qid, err := h.api.TapOption(1001, question.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Answered before the chat's slow turn ends, so the spinner stops.
	h.waitFor(t, "the tap's answer", func() bool { return h.api.Answered(qid) })
	if n := len(eng.inbound("telegram:1001")); n != 2 {
		t.Fatalf("the tap overtook the slow turn: engine got %d messages", n)
	}
}

func TestSendOnceClassifiesTelegramsAnswers(t *testing.T) {
	tests := []struct {
		name    string
		fault   *telegramtest.Fault
		block   bool
		failure bot.Failure
		code    string
		account bool // the whole channel cannot send
	}{
		{"blocked", nil, true, bot.Blocked, "403", false},
		{"deactivated", &telegramtest.Fault{Code: 403, Description: "Forbidden: user is deactivated"}, false, bot.Blocked, "403", false},
		{"5xx", &telegramtest.Fault{Code: 500, Description: "Internal Server Error"}, false, bot.Retry, "500", false},
		{"bad gateway", &telegramtest.Fault{Code: 502, Description: "Bad Gateway"}, false, bot.Retry, "502", false},
		{"bad request", &telegramtest.Fault{Code: 400, Description: "Bad Request: message is too long"}, false, bot.Refused, "400", false},
		{"chat not found", &telegramtest.Fault{Code: 400, Description: "Bad Request: chat not found"}, false, bot.Blocked, "400", false},
		{"peer invalid", &telegramtest.Fault{Code: 400, Description: "Bad Request: PEER_ID_INVALID"}, false, bot.Blocked, "400", false},
		{"no answer", &telegramtest.Fault{Drop: true}, false, bot.Unsure, "", false},
		{"token revoked", &telegramtest.Fault{Code: 401, Description: "Unauthorized"}, false, bot.Retry, "401", true},
		{"token malformed", &telegramtest.Fault{Code: 404, Description: "Not Found"}, false, bot.Retry, "404", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t)
			h.api.Text(1001, "hola")
			h.waitReplies(t, 1001, 1)
			if tt.block {
				h.api.Block(1001)
			}
			if tt.fault != nil {
				h.api.Fail("sendMessage", *tt.fault)
			}
			_, err := h.ch.SendOnce(context.Background(), "1001", bot.Message{Text: "de la mesa"}, "agent:k")
			var se *bot.SendError
			if !errors.As(err, &se) || se.Failure != tt.failure || se.Code != tt.code || se.Account != tt.account {
				t.Fatalf("SendOnce = %v (%#v), want %s %s, account %v", err, se, tt.failure, tt.code, tt.account)
			}
		})
	}
	t.Run("throttled", func(t *testing.T) {
		h := start(t)
		h.api.Text(1001, "hola")
		h.waitReplies(t, 1001, 1)
		h.api.FailNext("sendMessage", 1, 7)
		_, err := h.ch.SendOnce(context.Background(), "1001", bot.Message{Text: "x"}, "agent:k")
		if se := bot.Classify(err); se.Failure != bot.Retry || se.RetryAfter != 7*time.Second || len(h.retryWaits()) != 0 {
			t.Fatalf("429: %#v, waits %v: want the outbox to wait retry_after", se, h.retryWaits())
		}
	})
}

// outboxed runs the Telegram channel with its outbox in the test Redis.
type outboxed struct {
	*harness
	outbox *bot.Outbox
	relay  *relay.Relay
	mu     sync.Mutex
	stops  []string
}

func newOutboxed(t *testing.T) *outboxed {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "tg")
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	local := bot.NewLocal(discard(), bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
	o := &outboxed{}
	o.relay = relay.New(rdb, prefix, local, slog.New(slog.DiscardHandler),
		relay.WithRetries(4, time.Millisecond, 10*time.Millisecond), relay.WithSweep(20*time.Millisecond),
		relay.WithClock(func() time.Time { return o.harness.now() }),
		relay.WithOnStop(func(_ context.Context, chat, reason string) {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.stops = append(o.stops, chat+": "+reason)
		}))
	o.outbox = bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(o.relay))
	h, ch := newHarnessBot(t, newFakeEngine(), []bot.Option{bot.WithOutbox(o.outbox)})
	h.run(t)
	local.Register(ch)
	o.harness = h
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.relay.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return o
}

func (o *outboxed) deliver(t *testing.T, key, text string) {
	t.Helper()
	if err := o.outbox.Deliver(context.Background(), "telegram:1001", key, []convo.Reply{{Msg: i18n.Raw(text)}}); err != nil {
		t.Fatal(err)
	}
}

func (o *outboxed) status(t *testing.T, key string) bot.Status {
	d, err := o.relay.Delivery(context.Background(), "telegram:1001")
	if err != nil {
		t.Fatal(err)
	}
	return d.Statuses[key]
}

// TestBlockedPersonStopsTheChat: a 403 for a block the bot has not
// heard of yet (its my_chat_member update still on the way) stops the
// chat too.
func TestBlockedPersonStopsTheChat(t *testing.T) {
	o := newOutboxed(t)
	o.api.Text(1001, "hola")
	o.waitReplies(t, 1001, 1)
	o.api.Fail("sendMessage", telegramtest.Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"})
	o.deliver(t, "agent:a1", "Hola, soy Ana")
	o.waitFor(t, "the stop", func() bool { o.mu.Lock(); defer o.mu.Unlock(); return len(o.stops) == 1 })
	if o.stops[0] != "telegram:1001: Forbidden: bot was blocked by the user" {
		t.Fatalf("desk told %q", o.stops)
	}
	if st := o.status(t, "agent:a1"); st.State != bot.Failed || st.Code != "403" {
		t.Fatalf("agent's message %+v", st)
	}
	// A reminder for the stopped chat fails without a try.
	calls := len(o.api.Calls("sendMessage"))
	o.deliver(t, "reminder:r1", "ya podés intentar de nuevo")
	time.Sleep(100 * time.Millisecond)
	if n := len(o.api.Calls("sendMessage")); n != calls {
		t.Fatalf("%d more sends to a person who blocked the bot", n-calls)
	}
	// The person comes back: the next message gets through.
	o.api.Text(1001, "volví")
	o.waitReplies(t, 1001, 2)
	o.deliver(t, "agent:a2", "Qué bueno")
	o.waitFor(t, "the message after the person came back", func() bool {
		return slicesContain(o.texts("sendMessage", 1001), "Qué bueno")
	})
}

// TestChatNotFoundStopsTheChat: a chat Telegram does not know (a person
// who deleted their account, a chat id from another bot's records)
// answered every message with 400 "chat not found": each was a dead
// letter of its own, tried and buried one by one, the desk told nothing
// of the chat. It stops the chat, as a 403 does: the desk is told once,
// and what comes later fails without a try until the person writes.
func TestChatNotFoundStopsTheChat(t *testing.T) {
	o := newOutboxed(t)
	if err := o.outbox.Deliver(context.Background(), "telegram:2002", "agent:a1", []convo.Reply{{Msg: i18n.Raw("Hola, soy Ana")}}); err != nil {
		t.Fatal(err)
	}
	o.waitFor(t, "the stop", func() bool { o.mu.Lock(); defer o.mu.Unlock(); return len(o.stops) == 1 })
	if o.stops[0] != "telegram:2002: Bad Request: chat not found" {
		t.Fatalf("desk told %q", o.stops)
	}
	calls := len(o.api.Calls("sendMessage"))
	for _, k := range []string{"reminder:r1", "agent:a2"} {
		if err := o.outbox.Deliver(context.Background(), "telegram:2002", k, []convo.Reply{{Msg: i18n.Raw("otra")}}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(o.api.Calls("sendMessage")); n != calls {
		t.Fatalf("%d more sends to a chat Telegram does not know", n-calls)
	}
	dead, err := o.relay.DeadLetters(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 {
		t.Fatalf("%d dead letters, want the one that was tried: %+v", len(dead), dead)
	}
}

func TestOutboxRetriesTelegramsFailures(t *testing.T) {
	o := newOutboxed(t)
	o.api.Text(1001, "hola")
	o.waitReplies(t, 1001, 1)
	o.api.FailNext("sendMessage", 1, 1)
	o.api.Fail("sendMessage", telegramtest.Fault{Code: 500, Description: "Internal Server Error"}, telegramtest.Fault{Code: 502, Description: "Bad Gateway"})
	o.deliver(t, "agent:a1", "Hola, soy Ana")
	o.waitFor(t, "the message", func() bool { return slicesContain(o.texts("sendMessage", 1001), "Hola, soy Ana") })
	if n := len(o.texts("sendMessage", 1001)); n != 2 {
		t.Fatalf("%d messages, want the reply and the agent's once", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for o.status(t, "agent:a1").State != bot.Sent && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := o.status(t, "agent:a1"); st.State != bot.Sent || st.Tries != 4 || st.ID == "" {
		t.Fatalf("status %+v, want sent on the 4th try", st)
	}
}

func TestOnePollerPerToken(t *testing.T) {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "tgpoll")
	eng := newFakeEngine()
	h, chA := newHarness(t, eng, telegram.WithPollLease(lease.New(rdb, prefix+"telegram:poll", time.Second, discard())))
	cat, _ := i18n.Load()
	chB, err := telegram.New(token, bot.New(eng, cat.Printer(i18n.ES), discard()), discard(),
		telegram.WithServerURL(h.api.URL), telegram.WithPollTimeout(2*time.Second),
		telegram.WithPollLease(lease.New(rdb, prefix+"telegram:poll", time.Second, discard())))
	if err != nil {
		t.Fatal(err)
	}
	ctxA, stopA := context.WithCancel(context.Background())
	ctxB, stopB := context.WithCancel(context.Background())
	doneA, doneB := make(chan error, 1), make(chan error, 1)
	go func() { doneA <- chA.Run(ctxA) }()
	go func() { doneB <- chB.Run(ctxB) }()
	defer func() { stopB(); <-doneB }()
	for i := range 5 {
		h.api.Text(1001, "m"+itoa(int64(i)))
	}
	h.waitReplies(t, 1001, 5)
	stopA() // the poller goes away: the other takes over
	<-doneA
	for i := 5; i < 10; i++ {
		h.api.Text(1001, "m"+itoa(int64(i)))
	}
	h.waitReplies(t, 1001, 10)
	for _, c := range h.api.Calls("getUpdates") {
		if c.Status == 409 {
			t.Fatal("two processes polled the token at once (409 Conflict)")
		}
	}
}

func slicesContain(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// TestBlockingTheBotStopsTheChatAtOnce: Telegram tells a bot that a
// person blocked it (my_chat_member, "kicked"), but the bot did not ask
// for those updates: it went on sending to them, each message (an
// agent's reply, a reminder) refused with 403 before the desk heard of
// it. The chat now stops when the person blocks the bot, without a try,
// the desk is told, and it resumes when they unblock it, even without
// writing ("member").
func TestBlockingTheBotStopsTheChatAtOnce(t *testing.T) {
	o := newOutboxed(t)
	o.api.Text(1001, "hola")
	o.waitReplies(t, 1001, 1)
	o.api.Block(1001)
	o.waitFor(t, "the stop", func() bool { o.mu.Lock(); defer o.mu.Unlock(); return len(o.stops) == 1 })
	if o.stops[0] != "telegram:1001: the person blocked the bot" {
		t.Fatalf("desk told %q", o.stops)
	}
	calls := len(o.api.Calls("sendMessage"))
	o.deliver(t, "agent:a1", "Hola, soy Ana")
	if st := o.status(t, "agent:a1"); st.State != bot.Failed {
		t.Fatalf("agent's message to a person who blocked the bot: %+v, want failed (the desk shows it)", st)
	}
	if n := len(o.api.Calls("sendMessage")); n != calls {
		t.Fatalf("%d sends to a person who blocked the bot", n-calls)
	}
	o.api.Unblock(1001)
	o.waitFor(t, "the chat resumed", func() bool { return o.delivery(t).Stopped == "" })
	o.deliver(t, "agent:a2", "Qué bueno")
	o.waitFor(t, "the message after the person unblocked the bot", func() bool {
		return slicesContain(o.texts("sendMessage", 1001), "Qué bueno")
	})
}

func (o *outboxed) delivery(t *testing.T) bot.ChatDelivery {
	d, err := o.relay.Delivery(context.Background(), "telegram:1001")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestWhatABlockedBotKeptGoesOutWhenThePersonComesBack: the messages
// a person missed while they had blocked the bot (an agent's replies)
// stayed undelivered after they unblocked it or wrote again: only an
// agent resending each by hand from the desk got it to them, and one put
// while the chat was stopped not even that. They now go out once, in
// order, when the person comes back (unblock, or their next message,
// before its answer); what no longer holds (a place in the desk's line
// the stop took them out of, a reminder) stays undelivered on the desk;
// one an agent already sent again by hand goes once, and cannot be sent
// again from the desk.
func TestWhatABlockedBotKeptGoesOutWhenThePersonComesBack(t *testing.T) {
	ctx := context.Background()
	const chat = "telegram:1001"
	blocked := telegramtest.Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"}
	tests := []struct {
		name string
		back func(o *outboxed) // brings the person back
		want []string
	}{{
		name: "unblock",
		back: func(o *outboxed) {
			o.api.Block(1001) // the update the bot had not had yet
			o.waitFor(t, "the block", func() bool { o.mu.Lock(); defer o.mu.Unlock(); return len(o.stops) == 3 })
			o.api.Unblock(1001)
		},
		want: []string{"eco: hola", "Hola, soy Ana", "¿Seguís ahí?"},
	}, {
		name: "writes",
		back: func(o *outboxed) { o.api.Text(1001, "volví") },
		want: []string{"eco: hola", "Hola, soy Ana", "¿Seguís ahí?", "eco: volví"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOutboxed(t)
			o.api.Text(1001, "hola")
			o.waitReplies(t, 1001, 1)
			// A block the bot learns from the 403 of the first message:
			// the stop buries both.
			o.api.Fail("sendMessage", blocked, blocked)
			err := o.relay.Put(ctx, chat, []bot.Envelope{
				{Key: "position:p0", Msg: bot.Message{Text: "Estás en el lugar 3"}},
				{Key: "agent:ana:a1", Msg: bot.Message{Text: "Hola, soy Ana"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			o.waitFor(t, "the stop", func() bool { return o.delivery(t).Stopped != "" })
			o.deliver(t, "position:p1", "Estás en el lugar 2")
			o.deliver(t, "reminder:r1", "Ya podés intentar de nuevo")
			o.deliver(t, "agent:ana:a2", "¿Seguís ahí?")
			// An agent sends the first again by hand while the person
			// still blocks the bot: it fails again, and waits again.
			if err := o.relay.Resend(ctx, chat, "agent:ana:a1"); err != nil {
				t.Fatal(err)
			}
			o.waitFor(t, "the stop again", func() bool {
				return o.delivery(t).Stopped != "" && o.status(t, "agent:ana:a1").State == bot.Failed
			})
			tt.back(o)
			o.waitFor(t, "what waited", func() bool { return len(o.texts("sendMessage", 1001)) >= len(tt.want) })
			time.Sleep(200 * time.Millisecond) // nothing more comes
			if got := o.texts("sendMessage", 1001); !slices.Equal(got, tt.want) {
				t.Fatalf("Telegram took %q, want %q", got, tt.want)
			}
			for _, k := range []string{"agent:ana:a1", "agent:ana:a2"} {
				if st := o.status(t, k); st.State != bot.Sent {
					t.Errorf("%s is %+v, want sent", k, st)
				}
			}
			if err := o.relay.Resend(ctx, chat, "agent:ana:a1"); !errs.Is(errs.NotFound, err) {
				t.Errorf("resend of a message once delivered: %v, want not found", err)
			}
			for _, k := range []string{"position:p0", "position:p1", "reminder:r1"} {
				if st := o.status(t, k); st.State != bot.Failed {
					t.Errorf("%s is %+v, want failed still", k, st)
				}
			}
			dead, err := o.relay.DeadLetters(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(dead) != 1 || dead[0].Key != "position:p0" {
				t.Fatalf("the desk lists %+v undelivered, want the place in the line alone", dead)
			}
			// Coming back again sends nothing more.
			o.api.Block(1001)
			o.waitFor(t, "the stop", func() bool { return o.delivery(t).Stopped != "" })
			o.api.Unblock(1001)
			o.waitFor(t, "the chat resumed", func() bool { return o.delivery(t).Stopped == "" })
			time.Sleep(200 * time.Millisecond)
			if got := o.texts("sendMessage", 1001); !slices.Equal(got, tt.want) {
				t.Fatalf("Telegram took %q after a second unblock, want %q", got, tt.want)
			}
		})
	}
}

// TestLongMessageRetriedIsNotDoubled: a message longer than Telegram's
// 4,096 characters goes in parts; when a later part failed (a 5xx, a
// 429), the outbox tried the whole message again, and the person read
// the parts that had gone out twice.
func TestLongMessageRetriedIsNotDoubled(t *testing.T) {
	tests := []struct {
		name  string
		fault telegramtest.Fault
	}{
		{"5xx", telegramtest.Fault{Code: 500, Description: "Internal Server Error"}},
		{"429", telegramtest.Fault{Code: 429, Description: "Too Many Requests: retry after 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOutboxed(t)
			o.api.Text(1001, "hola")
			o.waitReplies(t, 1001, 1)
			o.api.Fail("sendMessage", telegramtest.Fault{Pass: true}, tt.fault)
			o.deliver(t, "agent:a1", longText)
			o.waitFor(t, "the whole message", func() bool {
				return strings.Contains(strings.Join(o.texts("sendMessage", 1001), ""), "Último párrafo 👍 Último párrafo 👍 Último párrafo 👍")
			})
			checkParts(t, o.texts("sendMessage", 1001)[1:], longText)
		})
	}
}

// TestLongReplyLeftToTheOutboxIsNotDoubled: a turn's long reply whose
// later part Telegram kept failing went to the outbox whole, its first
// part sent again.
func TestLongReplyLeftToTheOutboxIsNotDoubled(t *testing.T) {
	o := newOutboxed(t)
	fail := telegramtest.Fault{Code: 500, Description: "Internal Server Error"}
	o.api.Fail("sendMessage", telegramtest.Fault{Pass: true}, fail, fail, fail, fail)
	o.api.Text(1001, "largo")
	o.waitFor(t, "the whole reply", func() bool {
		return strings.Contains(strings.Join(o.texts("sendMessage", 1001), ""), "Último párrafo 👍 Último párrafo 👍 Último párrafo 👍")
	})
	checkParts(t, o.texts("sendMessage", 1001), longText)
}

// checkParts fails t when a part of whole was sent twice, or the parts
// sent do not make whole (spaces at the cuts aside).
func checkParts(t *testing.T, parts []string, whole string) {
	t.Helper()
	seen := map[string]int{}
	for _, p := range parts {
		if seen[p]++; seen[p] == 2 {
			t.Errorf("a part went twice: %.40q…", p)
		}
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if squash(strings.Join(parts, " ")) != squash(whole) {
		t.Errorf("the %d parts do not add up to the message", len(parts))
	}
}
