package sqlstore

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
)

var keyChanges = []registry.Action{registry.ActionKeyCreated, registry.ActionKeyRecovered, registry.ActionKeyChanged}

func TestDeleteAudit(t *testing.T) {
	for name, newURL := range map[string]func(*testing.T) string{
		"postgres": func(t *testing.T) string { return testenv.PostgresDatabase(t) },
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "r.db") },
	} {
		t.Run(name, func(t *testing.T) {
			d := openStore(t, newURL(t))
			ctx := context.Background()
			cutoff := t0
			events := []struct {
				action registry.Action
				at     time.Time
			}{
				{registry.ActionKeyLocked, cutoff.Add(-time.Second)},           // old, not a key change: deleted
				{registry.ActionValidationLocked, cutoff.Add(-24 * time.Hour)}, // likewise
				{registry.ActionKeyCreated, cutoff.Add(-time.Second)},          // old key change: kept here
				{registry.ActionKeyLocked, cutoff.Add(time.Microsecond)},       // recent: kept
			}
			for _, ev := range events {
				mustNotFail(t, d.AppendAudit(ctx, registry.AuditEvent{At: ev.at, CUIL: "20123456786", Action: ev.action}))
			}
			n, err := d.DeleteAudit(ctx, AuditSelection{Before: cutoff, Except: keyChanges})
			if err != nil || n != 2 {
				t.Fatalf("DeleteAudit (all but key changes) = %d, %v; want 2", n, err)
			}
			if got := actions(auditOf(t, d, "20123456786")); !slices.Equal(got, []registry.Action{registry.ActionKeyCreated, registry.ActionKeyLocked}) {
				t.Fatalf("left %v", got)
			}
			n, err = d.DeleteAudit(ctx, AuditSelection{Before: cutoff, Only: keyChanges})
			if err != nil || n != 1 {
				t.Fatalf("DeleteAudit (key changes) = %d, %v; want 1", n, err)
			}
			if got := actions(auditOf(t, d, "20123456786")); !slices.Equal(got, []registry.Action{registry.ActionKeyLocked}) {
				t.Fatalf("left %v", got)
			}
		})
	}
}

func actions(evs []registry.AuditEvent) []registry.Action {
	var out []registry.Action
	for _, ev := range evs {
		out = append(out, ev.Action)
	}
	return out
}

// TestDeleteAuditConcurrently: two runs at once delete every old event
// once between them, in batches.
func TestDeleteAuditConcurrently(t *testing.T) {
	url := testenv.PostgresDatabase(t)
	a, b := openStore(t, url), openStore(t, url)
	ctx := context.Background()
	const n = 12000 // more than two batches
	_, err := a.DB().ExecContext(ctx, `INSERT INTO audit (at, cuil, action) SELECT $1::timestamptz - g * interval '1 second', '20123456786', 'key.locked' FROM generate_series(1, $2) g`, t0, n)
	mustNotFail(t, err)
	var wg sync.WaitGroup
	var got [2]int64
	var errs [2]error
	for i, d := range []*DB{a, b} {
		wg.Go(func() { got[i], errs[i] = d.DeleteAudit(ctx, AuditSelection{Before: t0}) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || got[0]+got[1] != n {
		t.Fatalf("deleted %v (%v), want %d in all", got, errs, n)
	}
}
