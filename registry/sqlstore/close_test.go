package sqlstore

import (
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/testenv"
)

// TestPostgresCloseIsBounded: with PostgreSQL slow, or answering nothing,
// Close returns within its bound. It closed every prepared statement on
// every connection with a round trip each, and shutdown took 14 to 57 s
// after "stopped" on a slow PostgreSQL (a resilience probe), forever on
// one that answers nothing: past the 25 s the process has to stop.
func TestPostgresCloseIsBounded(t *testing.T) {
	u, err := url.Parse(testenv.PostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	p := testenv.NewProxy(t, u.Host)
	u.Host = p.Addr()
	d, err := Open(t.Context(), u.String(), discard, WithPool(Pool{MaxConns: 4}))
	if err != nil {
		t.Fatal(err)
	}
	importLines(t, d, citizenLine(31456789, nil))
	cuil := cuilOf(31456789)
	var wg sync.WaitGroup
	for range 4 { // statements prepared on every connection
		wg.Go(func() {
			for range 5 {
				d.Citizen(t.Context(), cuil)
				d.Lookup(t.Context(), cuil)
				d.Lockout(t.Context(), cuil, "key")
			}
		})
	}
	wg.Wait()
	p.Hang()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- d.Close() }()
	select {
	case <-done:
	case <-time.After(closeBound + 5*time.Second):
		t.Fatalf("Close has not returned %v after it was called, PostgreSQL answering nothing", time.Since(start).Round(time.Millisecond))
	}
	if took := time.Since(start); took > closeBound+2*time.Second {
		t.Errorf("Close took %v, want within %v", took, closeBound)
	}
}
