package sqldesk_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/sqldesk"
)

// record opens a conversation that began at, with two messages, closed an
// hour later unless open.
func record(t *testing.T, db *sqldesk.DB, id string, at time.Time, open bool) {
	t.Helper()
	ctx := context.Background()
	conv := desk.Conversation{ID: id, Chat: "whatsapp:5491100000000", Channel: "whatsapp", Reason: "requested", Status: desk.Waiting, Enqueued: at}
	hist := []desk.Message{{At: at, From: desk.FromPerson, Text: "hola"}, {At: at, From: desk.FromBot, Text: "¿En qué te ayudo?"}}
	mustOK(t, db.Opened(ctx, conv, hist))
	if !open {
		mustOK(t, db.Closed(ctx, id, at.Add(time.Hour), desk.OutcomeResolved))
	}
}

func TestPurgeConversations(t *testing.T) {
	for name, newDB := range map[string]func(*testing.T) *sqldesk.DB{
		"postgres": func(t *testing.T) *sqldesk.DB { return open(t, freshPostgres(t)) },
		"sqlite":   func(t *testing.T) *sqldesk.DB { return open(t, "sqlite:"+filepath.Join(t.TempDir(), "d.db")) },
	} {
		t.Run(name, func(t *testing.T) {
			db := newDB(t)
			ctx := context.Background()
			cutoff := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
			record(t, db, "old", cutoff.Add(-48*time.Hour), false)
			record(t, db, "old-open", cutoff.Add(-48*time.Hour), true)
			record(t, db, "ends-after", cutoff.Add(-30*time.Minute), false) // began before, ended after
			record(t, db, "recent", cutoff.Add(time.Hour), false)
			convs, msgs, err := db.PurgeConversations(ctx, cutoff, 1)
			if err != nil || convs != 2 || msgs != 4 {
				t.Fatalf("purge = %d conversations, %d messages, %v; want 2, 4", convs, msgs, err)
			}
			for _, id := range []string{"old", "old-open"} {
				if _, err := db.Conversation(ctx, id); err == nil {
					t.Errorf("%s survived", id)
				}
			}
			for _, id := range []string{"ends-after", "recent"} {
				if r, err := db.Conversation(ctx, id); err != nil || len(r.Messages) != 2 {
					t.Errorf("%s: %+v, %v", id, r, err)
				}
			}
			if convs, msgs, err := db.PurgeConversations(ctx, cutoff, 0); convs != 0 || msgs != 0 || err != nil {
				t.Errorf("second purge = %d, %d, %v", convs, msgs, err)
			}
		})
	}
}

// TestPurgeConcurrently: two runs at once (two processes' pools) delete
// every old conversation once between them.
func TestPurgeConcurrently(t *testing.T) {
	url := freshPostgres(t)
	a, b := open(t, url), open(t, url)
	cutoff := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	const n = 300
	for i := range n {
		record(t, a, fmt.Sprintf("c%03d", i), cutoff.Add(-time.Duration(i+2)*time.Hour), false)
	}
	record(t, a, "recent", cutoff.Add(time.Hour), false)
	var wg sync.WaitGroup
	var convs, msgs [2]int64
	var errs [2]error
	for i, db := range []*sqldesk.DB{a, b} {
		wg.Go(func() { convs[i], msgs[i], errs[i] = db.PurgeConversations(context.Background(), cutoff, 7) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if convs[0]+convs[1] != n || msgs[0]+msgs[1] != 2*n {
		t.Fatalf("deleted %v conversations and %v messages, want %d and %d in all", convs, msgs, n, 2*n)
	}
	var left int
	mustOK(t, a.DBX().Get(&left, `SELECT count(*) FROM desk_conversations`))
	if left != 1 {
		t.Fatalf("%d conversations left, want the recent one", left)
	}
	t.Logf("run 1 deleted %d, run 2 deleted %d", convs[0], convs[1])
}
