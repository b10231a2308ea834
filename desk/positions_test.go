package desk_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog/convo"
)

// TestFarInTheLineIsToldLess: a waiting person was told their new place
// each time the line moved, so the 40th got 30 messages while 30 people
// before them were taken, and at the country's scale (thousands waiting)
// each take sent a message to everyone in the line, ahead of the agents'
// replies on the same platforms (a desk probe). Near the front each move
// is told; further back, a place is told once it is at most three
// quarters of the one told before.
func TestFarInTheLineIsToldLess(t *testing.T) {
	out := &outbox{}
	_, h := redisHandoffs(t, "far", &records{outcomes: map[string]string{}}, out)
	d := desk.New(h, quietEngine{})
	ctx := context.Background()
	const waiting = 40
	for i := 1; i <= waiting; i++ {
		if _, err := h.Enqueue(ctx, convo.Handoff{Chat: fmt.Sprint("rest:", i), Channel: "rest", Reason: "requested"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 30; i++ {
		if _, err := d.Take(ctx, "ana", fmt.Sprint("rest:", i)); err != nil {
			t.Fatal(err)
		}
	}
	told := map[string]int{}
	out.mu.Lock()
	for _, c := range out.chats {
		told[c]++
	}
	out.mu.Unlock()
	for _, tt := range []struct {
		chat string
		want int // places told: each taken chat also got its "taken" notice
	}{
		{"rest:2", 2},   // 1, then taken
		{"rest:6", 6},   // 5, 4, 3, 2, 1, then taken
		{"rest:31", 10}, // 23, 17, 12, 9, 6, then 5 to 1
		{"rest:35", 6},  // 26, 19, 14, 10, 7, 5
		{"rest:40", 4},  // 30, 22, 16, 12: 10th now
	} {
		if got := told[tt.chat]; got != tt.want {
			t.Errorf("%s was sent %d messages, want %d", tt.chat, got, tt.want)
		}
	}
}
