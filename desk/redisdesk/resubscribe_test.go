package redisdesk_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestSubscriptionCutSaysEventsMissed: the connection of a replica's
// event subscription broke (Redis restarted, a network blip, a failover)
// and the client subscribed again by itself: the events published
// meanwhile were lost, and no page of that replica knew, the chats they
// had open left as they were (a desk probe). The subscriber is now told,
// when the subscription is back, that events may have been missed
// (desk.EventMissed), before any event after it.
func TestSubscriptionCutSaysEventsMissed(t *testing.T) {
	real := testenv.Redis(t)
	prefix := testenv.Prefix(t, real, "desk")
	p := testenv.NewProxy(t, real.Options().Addr)
	sub := redis.NewClient(&redis.Options{Addr: p.Addr(), DB: real.Options().DB, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { sub.Close() })
	pub := redisdesk.New(real, prefix)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan desk.Event, 1024)
	go redisdesk.New(sub, prefix).Subscribe(ctx, func(e desk.Event) { got <- e })

	// publishUntil publishes e until a received event is one of want's
	// kinds or chats, and returns it.
	publishUntil := func(e desk.Event, want func(desk.Event) bool) desk.Event {
		t.Helper()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case r := <-got:
				if want(r) {
					return r
				}
			case <-tick.C:
				pub.Publish(ctx, e)
			}
		}
	}
	publishUntil(desk.Event{Kind: "queue", Chat: "rest:before"}, func(r desk.Event) bool { return r.Chat == "rest:before" })
	p.Cut(false) // the subscription's connection breaks; the client dials again
	r := publishUntil(desk.Event{Kind: "queue", Chat: "rest:after"}, func(r desk.Event) bool {
		return r.Chat == "rest:after" || r.Kind == desk.EventMissed
	})
	if r.Kind != desk.EventMissed {
		t.Errorf("after the subscription was cut the first event was %+v; want one that says events were missed", r)
	}
}
