package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// asker asks a question with options on "menu", a text question otherwise,
// and records what it was given.
type asker struct {
	mu  sync.Mutex
	got []string
}

func (a *asker) Handle(_ context.Context, in convo.Inbound) (convo.Result, error) {
	a.mu.Lock()
	if in.StaleTap {
		a.got = append(a.got, "stale "+in.Text)
	} else {
		a.got = append(a.got, in.Text)
	}
	a.mu.Unlock()
	if in.Text == "menu" {
		return convo.Result{Replies: []convo.Reply{{Msg: i18n.Raw("elegí"), Options: []i18n.Message{i18n.Raw("uno"), i18n.Raw("dos")}, Expect: convo.ExpectChoice}}}, nil
	}
	return convo.Result{Replies: []convo.Reply{{Msg: i18n.Raw("¿tu CUIL?"), Expect: convo.ExpectCUIL}}}, nil
}

// tagged is a channel with buttons that carry their question.
type tagged struct {
	mu   sync.Mutex
	sent []bot.Message
	fail error
}

func (c *tagged) Name() string   { return "wa" }
func (c *tagged) TagsQuestions() {}
func (c *tagged) SendText(_ context.Context, _, text string) error {
	return c.SendOptions(context.Background(), "", bot.Message{Text: text})
}
func (c *tagged) SendOptions(_ context.Context, _ string, m bot.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail != nil {
		return c.fail
	}
	c.sent = append(c.sent, m)
	return nil
}
func (c *tagged) last() bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sent[len(c.sent)-1]
}

func TestTapsOfEarlierQuestionsAreNotAnswers(t *testing.T) {
	ctx := context.Background()
	eng := &asker{}
	b := newBot(t, eng)
	ch := &tagged{}
	in := func(id, text string) convo.Inbound {
		return convo.Inbound{Chat: "wa:1", ID: id, Text: text, Channel: "wa"}
	}
	b.Turn(ctx, ch, "1", in("m1", "menu"))
	first := ch.last().Question
	if first == "" {
		t.Fatal("options were sent without their question")
	}
	b.Turn(ctx, ch, "1", in("m2", "menu")) // the menu again: a new list
	second := ch.last().Question
	if second == first {
		t.Fatal("two lists share a question id")
	}

	b.Tap(ctx, ch, "1", in("t1", "2"), first) // a row of the old list
	if !strings.Contains(ch.last().Text, "mensaje anterior") {
		t.Fatalf("a tap on an earlier list got %q, want the kind explanation", ch.last().Text)
	}
	b.Tap(ctx, ch, "1", in("t2", "1"), second) // the current one: an answer
	// The same list again, and a row without a question: no question with
	// options is on screen now (the engine asked for a CUIL), so the
	// engine is told of a stale tap, and asks its question again; "answer
	// my last question" pointed to none.
	b.Tap(ctx, ch, "1", in("t3", "2"), second)
	if ch.last().Text != "¿tu CUIL?" {
		t.Fatalf("a second tap on the answered list got %q, want the question asked again", ch.last().Text)
	}
	b.Tap(ctx, ch, "1", in("t4", "1"), "")
	eng.mu.Lock()
	got := strings.Join(eng.got, ",")
	eng.mu.Unlock()
	if got != "menu,menu,1,stale 2,stale 1" {
		t.Fatalf("the engine got %q, want the tap on the current question as an answer, the others as stale", got)
	}
	// After a typed answer the list is no longer current either.
	b.Turn(ctx, ch, "1", in("m3", "menu"))
	third := ch.last().Question
	b.Turn(ctx, ch, "1", in("m4", "uno"))
	b.Tap(ctx, ch, "1", in("t5", "2"), third)
	eng.mu.Lock()
	got = eng.got[len(eng.got)-1]
	eng.mu.Unlock()
	if got != "stale 2" {
		t.Fatalf("a tap after a typed answer reached the engine as %q, want a stale tap", got)
	}
}

func TestOptionIDs(t *testing.T) {
	tests := []struct {
		id   string
		q    string
		n    int
		okay bool
	}{
		{bot.OptionID("ab12cd34", 3), "ab12cd34", 3, true},
		{"7", "", 7, true},
		{"ab.x", "", 0, false},
		{"ab.0", "", 0, false},
	}
	for _, tt := range tests {
		q, n, ok := bot.ParseOptionID(tt.id)
		if ok != tt.okay || (ok && (q != tt.q || n != tt.n)) {
			t.Errorf("ParseOptionID(%q) = %q, %d, %v", tt.id, q, n, ok)
		}
	}
}

// queue records what the outbox stores.
type queue struct {
	mu   sync.Mutex
	envs []bot.Envelope
}

func (q *queue) Put(_ context.Context, _ string, envs []bot.Envelope) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.envs = append(q.envs, envs...)
	return nil
}

func TestUnsentRepliesGoToTheOutbox(t *testing.T) {
	q := &queue{}
	log := slog.New(slog.DiscardHandler)
	o := bot.NewOutbox(printer(t), bot.NewLocal(log), bot.WithQueue(q))
	b := bot.New(&asker{}, printer(t), log, bot.WithOutbox(o))
	ch := &tagged{fail: errors.New("websocket not connected")}
	b.Turn(context.Background(), ch, "1", convo.Inbound{Chat: "wa:1", ID: "m9", Text: "hola", Channel: "wa"})
	if len(q.envs) != 1 || q.envs[0].Key != "reply:m9" || q.envs[0].Msg.Text != "¿tu CUIL?" {
		t.Fatalf("outbox got %+v, want the unsent reply under the message's key", q.envs)
	}
}
