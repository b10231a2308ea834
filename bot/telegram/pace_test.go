package telegram_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
)

// fakeClock is a clock that moves only when the channel waits.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) wait(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return nil
}

// mostInWindow is the most calls stamped within any window of length w.
func mostInWindow(calls []telegramtest.Call, w time.Duration) int {
	most := 0
	for i, first := range calls {
		n := 0
		for _, c := range calls[i:] {
			if c.At.Sub(first.At) < w {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// TestSendsArePaced: the channel sent as fast as it was asked, sixty
// messages to sixty chats or twenty to one chat at one instant, over
// Telegram's limits (about 30 a second in all, about one a second in a
// chat), which answers 429 and, sustained, a flood wait of the whole bot.
// The fake Bot API stamps each call with the channel's clock, which moves
// only when the channel waits: what it counts in a window is what
// Telegram would have counted.
func TestSendsArePaced(t *testing.T) {
	tests := []struct {
		name  string
		chats int
		each  int
		// at most this many in any window
		windows map[time.Duration]int
	}{
		{"many chats", 60, 1, map[time.Duration]int{time.Second: 30}},
		{"one chat", 1, 20, map[time.Duration]int{time.Second: 4, 10 * time.Second: 13}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
			h, ch := newHarness(t, newFakeEngine(), telegram.WithClock(clock.now), telegram.WithRetryWait(clock.wait))
			h.api.Now = clock.now
			ctx := context.Background()
			for c := range tt.chats {
				h.api.Text(int64(5000+c), "hola") // the person wrote first
			}
			for i := range tt.each {
				for c := range tt.chats {
					if err := ch.SendText(ctx, itoa(int64(5000+c)), "aviso "+itoa(int64(i))); err != nil {
						t.Fatalf("send: %v", err)
					}
				}
			}
			calls := h.api.OK("sendMessage")
			if len(calls) != tt.chats*tt.each {
				t.Fatalf("%d messages sent, want %d", len(calls), tt.chats*tt.each)
			}
			for w, limit := range tt.windows {
				if n := mostInWindow(calls, w); n > limit {
					t.Errorf("%d messages within %v, want at most %d", n, w, limit)
				}
			}
			if got := len(h.api.Calls("sendMessage")); got != len(calls) {
				t.Errorf("%d calls for %d messages: some were refused", got, len(calls))
			}
		})
	}
}

// TestCutWaitGivesSlotBack: a message whose wait for its chat's slot was
// cut short (its context ended, or the process began to stop) goes to the
// outbox unsent; its slot goes back, so the chat's next message does not
// wait behind a message that was never sent.
func TestCutWaitGivesSlotBack(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: t0}
	wait := func(ctx context.Context, d time.Duration) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return clock.wait(ctx, d)
	}
	h, ch := newHarness(t, newFakeEngine(), telegram.WithClock(clock.now), telegram.WithRetryWait(wait))
	h.api.Now = clock.now
	h.api.Text(5000, "hola")
	for i := range 3 { // the chat's burst
		if err := ch.SendText(context.Background(), "5000", "aviso "+itoa(int64(i))); err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	cut, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ch.SendText(cut, "5000", "cortado"); err == nil {
		t.Fatal("a send whose context had ended was sent")
	}
	if err := ch.SendText(context.Background(), "5000", "siguiente"); err != nil {
		t.Fatalf("send: %v", err)
	}
	calls := h.api.OK("sendMessage")
	if len(calls) != 4 {
		t.Fatalf("%d messages sent, want 4", len(calls))
	}
	if got, want := calls[3].At.Sub(t0), time.Second; got != want {
		t.Errorf("the message after the cut one went at t0 + %v, want t0 + %v (its chat's next slot)", got, want)
	}
}
