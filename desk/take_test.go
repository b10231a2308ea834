package desk_test

import (
	"cmp"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// heldOutbox keeps the keys delivered, in order, and holds the delivery
// of the "taken" notice (or of the kind held) until released.
type heldOutbox struct {
	mu      sync.Mutex
	keys    []string
	held    string // the key's prefix held; "taken:" when ""
	entered chan struct{}
	release chan struct{}
}

func (o *heldOutbox) Deliver(_ context.Context, _, key string, _ []convo.Reply) error {
	if held := cmp.Or(o.held, "taken:"); strings.HasPrefix(key, held) {
		close(o.entered)
		<-o.release
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.keys = append(o.keys, key)
	return nil
}

type quietEngine struct{}

func (quietEngine) AgentSaid(ctx context.Context, _, _, text string, send func(context.Context, []convo.Reply) error) error {
	return send(ctx, []convo.Reply{{Msg: i18n.M("desk.agent_says", "text", text)}})
}
func (quietEngine) EndHandoff(ctx context.Context, _ string, finish func(context.Context, []convo.Reply) error) error {
	return finish(ctx, nil)
}
func (quietEngine) Locked(ctx context.Context, _ string, f func(context.Context) error) error {
	return f(ctx)
}

// TestTakenNoticeGoesBeforeTheAgentsFirstReply: the person learns who
// took their chat before reading that agent's first words, however fast
// the agent replies after taking it.
func TestTakenNoticeGoesBeforeTheAgentsFirstReply(t *testing.T) {
	out := &heldOutbox{entered: make(chan struct{}), release: make(chan struct{})}
	_, h := redisHandoffs(t, "take", &records{outcomes: map[string]string{}}, out)
	d := desk.New(h, quietEngine{})
	ctx := context.Background()
	const chat = "telegram:7"
	if _, err := h.Enqueue(ctx, convo.Handoff{Chat: chat, Channel: "telegram", Reason: "requested"}); err != nil {
		t.Fatal(err)
	}
	took := make(chan error, 1)
	go func() { _, err := d.Take(ctx, "ana", chat); took <- err }()
	<-out.entered // the chat is ana's; its notice is being delivered
	replied := make(chan error, 1)
	go func() { replied <- d.Reply(ctx, "ana", chat, "Hola, soy Ana") }()
	// A reply that completes while the notice is still held went first.
	// The wait only gives a wrong order time to show: with the right
	// one, the reply waits for the notice whatever the wait.
	select {
	case err := <-replied:
		t.Fatalf("the agent's reply was delivered (err %v) before the taken notice", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(out.release)
	if err := <-took; err != nil {
		t.Fatal(err)
	}
	if err := <-replied; err != nil {
		t.Fatal(err)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if len(out.keys) != 2 || !strings.HasPrefix(out.keys[0], "taken:") {
		t.Fatalf("delivered %q, want the taken notice first", out.keys)
	}
}

// A hand-over outside the hours is a pending message, and its ticket says
// when the desk opens, for the person to be told.
func TestClosedTicketSaysWhenTheDeskOpens(t *testing.T) {
	rdb := testenv.Redis(t)
	q := redisdesk.New(rdb, testenv.Prefix(t, rdb, "opens"))
	hours, err := desk.ParseHours(desk.DefaultHours, desk.DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	sunday := time.Date(2026, 11, 29, 15, 0, 0, 0, time.UTC) // 12:00 in Buenos Aires
	h := desk.NewHandoffs(desk.Config{Hours: hours, Now: func() time.Time { return sunday }}, q, &records{outcomes: map[string]string{}}, &heldOutbox{})
	tk, err := h.Enqueue(context.Background(), convo.Handoff{Chat: "telegram:8", Channel: "telegram", Reason: "requested"})
	if err != nil {
		t.Fatal(err)
	}
	if monday8 := time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC); tk.Open || !tk.Opens.Equal(monday8) {
		t.Fatalf("ticket %+v, want closed until %v", tk, monday8)
	}
}
