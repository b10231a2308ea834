package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/dialog/convo"
)

// TestLeavingSaysWhyTheChatClosed: a person who writes «cancelar» while
// waiting or talking with an agent closes the chat with an event that
// says so, as a stop says the person blocked the bot. The event said
// nothing, and the agent's page read only "Conversación cerrada.", the
// agent left to guess whether the person left (found by a desk probe).
func TestLeavingSaysWhyTheChatClosed(t *testing.T) {
	q, h := redisHandoffs(t, "leave", &records{outcomes: map[string]string{}}, &outbox{})
	d := desk.New(h, quietEngine{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan desk.Event, 64)
	go q.Subscribe(ctx, func(e desk.Event) { events <- e })
	subscribed(t, q, events)

	for _, tc := range []struct {
		chat  string
		taken bool
		want  string
	}{
		{"telegram:1", true, desk.OutcomeLeft},
		{"telegram:2", false, desk.OutcomeAbandoned},
	} {
		if _, err := h.Enqueue(ctx, convo.Handoff{Chat: tc.chat, Channel: "telegram", Reason: "requested"}); err != nil {
			t.Fatal(err)
		}
		if tc.taken {
			if _, err := d.Take(ctx, "ana", tc.chat); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := h.Leave(ctx, tc.chat); err != nil {
			t.Fatal(err)
		}
		if e := closedEvent(t, events, tc.chat); e.Reason != tc.want {
			t.Errorf("%s (taken %v): closed event's reason %q, want %q", tc.chat, tc.taken, e.Reason, tc.want)
		}
	}
}

// subscribed returns once events receives what the queue publishes.
func subscribed(t *testing.T, q *redisdesk.Queue, events <-chan desk.Event) {
	t.Helper()
	deadline := time.After(10 * time.Second) // a hang guard, not a timing
	for {
		if err := q.Publish(context.Background(), desk.Event{Kind: "ping"}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-events:
			for len(events) > 0 {
				<-events
			}
			return
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatal("no subscription")
		}
	}
}

// closedEvent is the next "closed" event for chat.
func closedEvent(t *testing.T, events <-chan desk.Event, chat string) desk.Event {
	t.Helper()
	deadline := time.After(10 * time.Second) // a hang guard, not a timing
	for {
		select {
		case e := <-events:
			if e.Kind == "closed" && e.Chat == chat {
				return e
			}
		case <-deadline:
			t.Fatalf("no closed event for %s", chat)
		}
	}
}
