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
