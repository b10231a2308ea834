package cloud

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

// TestWebhookTurnRoundTrips counts the Redis round trips of one webhook
// turn, from the person's message to the last of Meta's statuses of its
// replies (sent and delivered, each posted to the webhook), the engine's
// own left out (the scripted engine has none). A turn through the
// webhook cost 6.6 round trips where the REST chat's cost 2 (issue 14):
// the "sent" of every reply Meta had taken went to Redis, where nothing
// waited for it (TestSentStatusOfATakenReplyCostsNothing).
func TestWebhookTurnRoundTrips(t *testing.T) {
	tests := []struct {
		name    string
		text    string // "tap" taps the first option of the menu
		replies int
		want    int64
	}{
		{"one reply", "hola", 1, 2},
		{"three replies", "a | b | c", 3, 2},
		{"a question", "menu", 1, 2},
		{"a tap", "tap", 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			for _, warm := range []string{"menu", "tap", "menu"} { // the scripts loaded, a question on screen
				w.turnSettled(t, warm, 1)
			}
			trips := &turnTrips{}
			w.rdb.AddHook(trips)
			w.turnSettled(t, tt.text, tt.replies)
			if got := trips.n.Load(); got > tt.want {
				t.Errorf("%q cost %d Redis round trips, want at most %d", tt.text, got, tt.want)
			}
		})
	}
}

// turnSettled has alice write text ("tap": tap the first option of the
// bot's last message) and waits until Meta took the turn's replies and
// the webhook answered their statuses.
func (w *world) turnSettled(t *testing.T, text string, replies int) {
	t.Helper()
	sent, posts := w.g.Sent(alice), len(w.g.WebhookStatuses())
	var code int
	var err error
	if text == "tap" {
		last := sent[len(sent)-1]
		_, code, err = w.g.Tap(alice, last.ID, last.Options[0].ID)
	} else {
		_, code, err = w.g.Text(alice, text)
	}
	if err != nil || code != 200 {
		t.Fatalf("webhook answered %d, %v", code, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The message, then "sent" and "delivered" of each reply.
	settled := func() bool {
		return len(w.g.Sent(alice)) >= len(sent)+replies && len(w.g.WebhookStatuses()) >= posts+1+2*replies
	}
	if err := w.g.WaitUntil(ctx, settled); err != nil {
		t.Fatalf("Meta took %q, the webhook answered %v: %v", w.g.Texts(alice), w.g.WebhookStatuses(), err)
	}
}

// turnTrips counts round trips as internal/roundtrip does, a command or a
// pipeline each, but for a new connection's set-up (HELLO, SELECT,
// CLIENT SETINFO): how many connections the pool opens during a turn is
// the pool's business, not the turn's.
type turnTrips struct{ n atomic.Int64 }

func (*turnTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *turnTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() != "hello" {
			h.n.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (h *turnTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if name := cmds[0].Name(); name != "select" && name != "client" && name != "auth" {
			h.n.Add(1)
		}
		return next(ctx, cmds)
	}
}

// TestQuestionLeftToTheOutboxKeepsItsID: a turn's question is kept as the
// chat's current one before it is sent, in the write that keeps the
// turn's replies; when Meta refuses it for rate and the outbox sends it
// later, the question shown is still the chat's current one, its buttons
// not stale.
func TestQuestionLeftToTheOutboxKeepsItsID(t *testing.T) {
	w := newWorld(t)
	pair := graphtest.PairRateLimit
	w.g.FailNext(pair, pair, pair)
	if _, code, err := w.g.Text(alice, "menu"); err != nil || code != 200 {
		t.Fatal(code, err)
	}
	w.c.Close() // the turn ends, its question in the outbox
	for range 4 {
		w.clk.add(2 * time.Minute)
		w.drain(t)
	}
	sent := w.g.Sent(alice)
	if len(sent) != 1 || len(sent[0].Options) == 0 {
		t.Fatalf("Meta took %+v, want the question", sent)
	}
	shown, _, _ := bot.ParseOptionID(sent[0].Options[0].ID)
	qt := w.local.Questions().(bot.QuestionTexts)
	current, _, err := qt.Current(context.Background(), "whatsapp:"+alice)
	if err != nil {
		t.Fatal(err)
	}
	if shown == "" || shown != current {
		t.Fatalf("the question shown is %q, the chat's current one %q", shown, current)
	}
}
