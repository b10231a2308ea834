package desk_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// records keeps what the hand-overs record, by conversation.
type records struct {
	mu       sync.Mutex
	outcomes map[string]string
}

func (r *records) Opened(context.Context, desk.Conversation, []desk.Message) error { return nil }
func (r *records) Said(context.Context, string, desk.Message) error                { return nil }
func (r *records) Taken(context.Context, string, string, time.Time) error          { return nil }
func (r *records) Rated(context.Context, string, bool) error                       { return nil }
func (r *records) Closed(_ context.Context, conv string, _ time.Time, outcome string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcomes[conv] = outcome
	return nil
}

func (r *records) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, o := range r.outcomes {
		out = append(out, o)
	}
	return out
}

// outbox keeps the chats messages were delivered to.
type outbox struct {
	mu    sync.Mutex
	chats []string
}

func (o *outbox) Deliver(_ context.Context, chat, _ string, _ []dialog.Reply) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.chats = append(o.chats, chat)
	return nil
}

func (o *outbox) got() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.chats)
}

// TestStopsReachTheHandoffs: a chat the outbox stopped, reported before
// the hand-overs' loop runs, leaves the queue with the outcome "stopped",
// and the person behind it is told their better place.
func TestStopsReachTheHandoffs(t *testing.T) {
	rec, out := &records{outcomes: map[string]string{}}, &outbox{}
	q, h := redisHandoffs(t, "stops", rec, out)
	ctx := context.Background()
	for _, chat := range []string{"telegram:1", "telegram:2"} {
		if _, err := h.Enqueue(ctx, dialog.Handoff{Chat: chat, Channel: "telegram", Reason: "requested"}); err != nil {
			t.Fatal(err)
		}
	}
	stops := desk.NewStops()
	stops.Report(ctx, "telegram:1", "the person blocked the bot")
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { stops.Run(rctx, h); close(done) }()
	defer func() { cancel(); <-done }()

	deadline := time.Now().Add(10 * time.Second) // a hang guard, not a timing
	for !slices.Contains(rec.all(), desk.OutcomeStopped) || !slices.Contains(out.got(), "telegram:2") {
		if time.Now().After(deadline) {
			t.Fatalf("outcomes %v, delivered to %v; want telegram:1 stopped and telegram:2 told its place", rec.all(), out.got())
		}
		time.Sleep(10 * time.Millisecond)
	}
	all, err := q.List(ctx)
	if err != nil || len(all) != 1 || all[0].Chat != "telegram:2" {
		t.Fatalf("queue %+v, %v; want telegram:2 alone", all, err)
	}
}

// redisHandoffs is the hand-overs of a test on the real queue: a Redis
// queue under a prefix of the test's own (name), the Spanish catalog, and
// the records and deliverer given.
func redisHandoffs(t *testing.T, name string, rec desk.Records, out desk.Deliverer) (*redisdesk.Queue, *desk.Handoffs) {
	t.Helper()
	rdb := testenv.Redis(t)
	q := redisdesk.New(rdb, testenv.Prefix(t, rdb, name))
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return q, desk.NewHandoffs(desk.Config{Printer: cat.Printer(i18n.ES)}, q, rec, out)
}
