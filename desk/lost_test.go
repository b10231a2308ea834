package desk_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/desk/sqldesk"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry/sqlstore"
	"github.com/redis/go-redis/v9"
)

// lostStores are the desk's records in a fresh SQLite database and a
// Redis with a prefix of the test's own for the queue.
func lostStores(t *testing.T, name string) (*sqldesk.DB, redis.UniversalClient, string) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "r.db"), slog.New(slog.DiscardHandler),
		sqlstore.WithMigrations(sqldesk.SetName, sqldesk.Migrations()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rdb := testenv.Redis(t)
	return sqldesk.New(db.DB()), rdb, testenv.Prefix(t, rdb, name)
}

// TestRecordsLostWithRedisAreClosed: after the embedded Redis restarted
// (serve's default, the process restarted) the queue was empty but the
// records of the hand-overs under way stayed open for ever, counted as
// neither closed nor taken. The desk closes a record whose conversation
// the queue no longer has, as lost, once it is older than a grace (a
// hand-over is recorded just before it is queued), and leaves alone the
// ones the queue has.
func TestRecordsLostWithRedisAreClosed(t *testing.T) {
	ctx := context.Background()
	store, rdb, prefix := lostStores(t, "lost")
	now := time.Now()
	clock := func() time.Time { return now }
	h := desk.NewHandoffs(desk.Config{Now: clock}, redisdesk.New(rdb, prefix), store, &heldOutbox{})
	for _, chat := range []string{"telegram:1", "telegram:2"} {
		if _, err := h.Enqueue(ctx, convo.Handoff{Chat: chat, Channel: "telegram", Reason: "requested"}); err != nil {
			t.Fatal(err)
		}
	}
	// Redis restarts empty: a fresh queue where the old one was.
	h = desk.NewHandoffs(desk.Config{Now: clock}, redisdesk.New(rdb, prefix+"again:"), store, &heldOutbox{})
	if _, err := h.Enqueue(ctx, convo.Handoff{Chat: "telegram:3", Channel: "telegram", Reason: "requested"}); err != nil {
		t.Fatal(err)
	}
	outcomes := func() map[string]string {
		t.Helper()
		var rows []struct {
			Chat    string  `db:"chat"`
			Outcome *string `db:"outcome"`
		}
		if err := store.DBX().Select(&rows, `SELECT chat, outcome FROM desk_conversations`); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range rows {
			out[r.Chat] = "open"
			if r.Outcome != nil {
				out[r.Chat] = *r.Outcome
			}
		}
		return out
	}
	// Within the grace nothing is touched: a record may be on its way
	// to the queue.
	if n, err := h.CloseLost(ctx); err != nil || n != 0 {
		t.Fatalf("closed %d (%v) within the grace", n, err)
	}
	now = now.Add(10 * time.Minute)
	if n, err := h.CloseLost(ctx); err != nil || n != 2 {
		t.Fatalf("closed %d (%v), want the two lost", n, err)
	}
	got := outcomes()
	want := map[string]string{"telegram:1": desk.OutcomeLost, "telegram:2": desk.OutcomeLost, "telegram:3": "open"}
	for chat, o := range want {
		if got[chat] != o {
			t.Errorf("%s: %q, want %q (all %v)", chat, got[chat], o, got)
		}
	}
}

// closingRecords is the desk's records with a hand-over closed, as its
// agent solved it, between the check's listing and its closing.
type closingRecords struct {
	*sqldesk.DB
	closeFirst func(id string)
}

func (r closingRecords) OpenBefore(ctx context.Context, t time.Time) ([]desk.Conversation, error) {
	list, err := r.DB.OpenBefore(ctx, t)
	if err == nil && len(list) > 0 {
		r.closeFirst(list[0].ID)
	}
	return list, err
}

// TestLostCheckKeepsAClosedOutcome: a hand-over closed (resolved) while the
// check of lost records ran was overwritten as "lost" (its record listed
// open, then not found in the queue): the check closes only records still
// open.
func TestLostCheckKeepsAClosedOutcome(t *testing.T) {
	ctx := context.Background()
	store, rdb, prefix := lostStores(t, "lostrace")
	now := time.Now()
	clock := func() time.Time { return now }
	h := desk.NewHandoffs(desk.Config{Now: clock}, redisdesk.New(rdb, prefix), store, &heldOutbox{})
	if _, err := h.Enqueue(ctx, convo.Handoff{Chat: "telegram:1", Channel: "telegram", Reason: "requested"}); err != nil {
		t.Fatal(err)
	}
	recs := closingRecords{DB: store, closeFirst: func(id string) {
		if err := store.Closed(ctx, id, now, desk.OutcomeResolved); err != nil {
			t.Fatal(err)
		}
	}}
	// The queue lost it; as the check runs, another replica closes it.
	h = desk.NewHandoffs(desk.Config{Now: clock}, redisdesk.New(rdb, prefix+"again:"), recs, &heldOutbox{})
	now = now.Add(10 * time.Minute)
	if n, err := h.CloseLost(ctx); err != nil || n != 0 {
		t.Errorf("closed %d (%v), want none: the record was closed meanwhile", n, err)
	}
	var outcome string
	if err := store.DBX().Get(&outcome, `SELECT outcome FROM desk_conversations`); err != nil {
		t.Fatal(err)
	}
	if outcome != desk.OutcomeResolved {
		t.Errorf("outcome %q, want %q kept", outcome, desk.OutcomeResolved)
	}
}
