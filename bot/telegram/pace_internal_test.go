package telegram

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// TestPaceUnderConcurrency: the turns' and the outbox's workers take
// their slots at once; the slots they get still keep the bot's pace.
func TestPaceUnderConcurrency(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	p := newPace(func() time.Time { return t0 }, defaultOverall, defaultPerChat)
	var mu sync.Mutex
	var at []time.Duration
	var wg sync.WaitGroup
	for c := range 100 {
		wg.Go(func() {
			d := p.chat(int64(c+1)) + p.bot()
			mu.Lock()
			defer mu.Unlock()
			at = append(at, d)
		})
	}
	wg.Wait()
	slices.Sort(at)
	for i := range at {
		n := 0
		for _, d := range at[i:] {
			if d-at[i] < time.Second {
				n++
			}
		}
		if n > 30 {
			t.Fatalf("%d slots within a second from %v, want at most 30", n, at[i])
		}
	}
}
