package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// hung is a dependency that stops answering and does not give up when
// its context ends (lib/pq waits for a server that sends nothing).
type hung struct{ release chan struct{} }

func (h hung) Ping(context.Context) error { <-h.release; return nil }

// live answers at once, unless its context has ended.
type live struct{}

func (live) Ping(ctx context.Context) error { return ctx.Err() }

// TestReadyzChecksApartWithinItsBudget: /readyz checks each dependency
// with a budget of its own, at once, and answers within the budget. It
// checked them one after the other under one budget: with PostgreSQL
// slow, Redis was reported unavailable (its budget spent), and a
// PostgreSQL that stopped answering held the probe as long as it did (a
// resilience probe).
func TestReadyzChecksApartWithinItsBudget(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	mux := http.NewServeMux()
	New(fakeVerifier{}, WithReady(map[string]Pinger{"database": hung{release}, "redis": live{}})).Register(mux)
	done := make(chan *httptest.ResponseRecorder, 1)
	start := time.Now()
	go func() {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		done <- rec
	}()
	var rec *httptest.ResponseRecorder
	select {
	case rec = <-done:
	case <-time.After(readyBudget + time.Second):
		t.Fatalf("/readyz has not answered %v after it was asked; its budget is %v", time.Since(start).Round(time.Millisecond), readyBudget)
	}
	var body map[string]string
	json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != http.StatusServiceUnavailable || body["database"] != "unavailable" || body["redis"] != "ok" {
		t.Errorf("readyz %d %v, want 503 with the database unavailable and Redis ok", rec.Code, body)
	}
}
