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
			d := p.chat(int64(c+1)).DelayFrom(t0) + p.bot().DelayFrom(t0)
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

// TestPaceForgetsIdleChats: every chat the bot ever wrote to kept its
// pace in memory; once there are maxChats of them, those whose bucket is
// full again are forgotten, and a chat with a slot reserved for later is
// kept, so that it still waits behind it.
func TestPaceForgetsIdleChats(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	now := t0
	p := newPace(func() time.Time { return now }, defaultOverall, defaultPerChat)
	const busy = 1
	for range 6 {
		p.chat(busy) // three at once, then one a second: its bucket is full at t0 + 6s
	}
	for id := range int64(maxChats - 2) {
		p.chat(id + 2)
	}
	if got := len(p.chats); got != maxChats-1 {
		t.Fatalf("%d chats kept, want %d (none forgotten before %d)", got, maxChats-1, maxChats)
	}
	now = t0.Add(2 * time.Second) // one slot taken a second ago: full again
	p.chat(maxChats + 1)
	if _, ok := p.chats[busy]; !ok {
		t.Fatal("the busy chat was forgotten: its next message would not wait behind its slots")
	}
	if got := len(p.chats); got != 2 {
		t.Fatalf("%d chats kept, want 2 (the busy one and the new one)", got)
	}
	if d := p.chat(busy).DelayFrom(now); d != 2*time.Second {
		t.Errorf("the busy chat's seventh message waits %v, want 2s (behind its slots, at t0 + 4s)", d)
	}
}
