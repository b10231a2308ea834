package sqlstore

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
)

// TestPostgresHungCallsEndWithTheirContext: a PostgreSQL that stops
// answering, its TCP still open, held every call with no limit (lib/pq
// sends a cancel request and waits for an answer that never comes): the
// turns hung past their deadline, and the person got no apology (a
// resilience probe). Every call ends when its context does, an
// Unavailable error: on a connection of the pool (a prepared statement, a
// query, a transaction), on a new one, and the readiness probe's ping.
func TestPostgresHungCallsEndWithTheirContext(t *testing.T) {
	u, err := url.Parse(testenv.PostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	p := testenv.NewProxy(t, u.Host)
	u.Host = p.Addr()
	d := openStore(t, u.String(), WithPool(Pool{MaxConns: 4}))
	importLines(t, d, citizenLine(31456789, nil))
	cuil := cuilOf(31456789)
	var wg sync.WaitGroup
	for range 2 { // two connections of the pool, their statements prepared
		wg.Go(func() { d.Lookup(t.Context(), cuil); d.Citizen(t.Context(), cuil) })
	}
	wg.Wait()
	p.Hang()
	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"prepared statement", func(ctx context.Context) error { _, err := d.Lookup(ctx, cuil); return err }},
		{"query", func(ctx context.Context) error { _, err := d.Lockout(ctx, cuil, registry.LockKey); return err }},
		{"transaction", func(ctx context.Context) error {
			_, err := d.RecordFailure(ctx, cuil, registry.LockKey, t0, validationRule)
			return err
		}},
		{"ping", d.Ping},
		{"new connection", func(ctx context.Context) error { _, err := d.Citizen(ctx, cuil); return err }},
	}
	for _, c := range calls {
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- c.call(ctx) }()
		select {
		case err := <-done:
			if !errs.Is(errs.Unavailable, err) {
				t.Errorf("%s with PostgreSQL answering nothing: %v, want Unavailable", c.name, err)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("%s took %v, its context 300ms", c.name, took)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s has not returned 5 s after it began, its context 300ms, PostgreSQL answering nothing", c.name)
		}
		cancel()
	}
	p.Restore()
	if _, err := d.Citizen(t.Context(), cuil); err != nil {
		t.Errorf("PostgreSQL back: %v", err)
	}
}
