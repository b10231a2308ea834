package desk

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/convo"
)

type funnelStore struct {
	fail  bool
	total map[string]int
}

func (s *funnelStore) AddFunnel(_ context.Context, counts []FunnelCount) error {
	if s.fail {
		return errors.New("database down")
	}
	for _, c := range counts {
		s.total[c.Flow+"/"+c.Stage] += c.N
	}
	return nil
}

// TestFunnelCountsEveryEventUnderLoad: many turns at once between two
// flushes lose no count, and a flush the store refuses keeps them.
func TestFunnelCountsEveryEventUnderLoad(t *testing.T) {
	f := NewFunnel(time.UTC, slog.New(slog.DiscardHandler))
	at := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5000 {
				f.Record(context.Background(), convo.Event{Name: "step", Flow: convo.FlowCreate, Step: dialog.StepCUIL, At: at})
				f.Record(context.Background(), convo.Event{Name: "faq", Flow: convo.FlowFAQ, At: at}) // not a stage
			}
		}()
	}
	wg.Wait()
	store := &funnelStore{fail: true, total: map[string]int{}}
	f.Flush(context.Background(), store)
	store.fail = false
	f.Flush(context.Background(), store)
	if got := store.total["create/cuil"]; got != 40000 || len(store.total) != 1 {
		t.Errorf("counted %v, want create/cuil 40000 and nothing else", store.total)
	}
}

// hungFunnelStore is a database that takes the counts and never answers:
// AddFunnel returns only when its context ends.
type hungFunnelStore struct{ deadline chan bool }

func (s *hungFunnelStore) AddFunnel(ctx context.Context, _ []FunnelCount) error {
	_, ok := ctx.Deadline()
	s.deadline <- ok
	<-ctx.Done()
	return ctx.Err()
}

// TestFunnelLastFlushIsBounded: at SIGTERM with PostgreSQL hung, the
// funnel's last write had no deadline, so serve waited out its whole
// 25 s grace for it after the turns in flight were answered, said
// "background jobs still running after the grace period", and exited 29 s
// after SIGTERM, past the 25 s it promises (a resilience probe, the
// database SIGSTOPped). The last write has a deadline of its own.
func TestFunnelLastFlushIsBounded(t *testing.T) {
	f := NewFunnel(time.UTC, slog.New(slog.DiscardHandler))
	f.Record(t.Context(), convo.Event{Name: "start", Flow: convo.FlowCreate, At: time.Now()})
	store := &hungFunnelStore{deadline: make(chan bool, 1)}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	done := make(chan struct{})
	go func() { f.Run(ctx, store, time.Hour); close(done) }()
	if !<-store.deadline {
		t.Fatal("the funnel's last write on the way out has no deadline: a hung database holds the shutdown")
	}
	<-done
}
