package redisdesk_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/queuetest"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/internal/testenv"
)

// twoProcesses returns two Queues on separate clients of the test Redis,
// as two serve processes would have, under a prefix of their own.
func twoProcesses(t *testing.T, newClient func(testing.TB) redis.UniversalClient) (*redisdesk.Queue, *redisdesk.Queue) {
	t.Helper()
	a, b := newClient(t), newClient(t)
	prefix := testenv.Prefix(t, a, "desk")
	return redisdesk.New(a, prefix), redisdesk.New(b, prefix)
}

// TestQueueConformance runs desk.Queue's conformance suite on every Redis
// deployment.
func TestQueueConformance(t *testing.T) {
	onEveryServer(t, func(t *testing.T, newClient func(testing.TB) redis.UniversalClient) {
		queuetest.Run(t, func(t *testing.T) queuetest.Process {
			prefix := testenv.Prefix(t, newClient(t), "desk")
			return func() desk.Queue { return redisdesk.New(newClient(t), prefix) }
		})
	})
}

func TestEventsAcrossProcesses(t *testing.T) { onEveryServer(t, testEventsAcrossProcesses) }

func testEventsAcrossProcesses(t *testing.T, newClient func(testing.TB) redis.UniversalClient) {
	p1, p2 := twoProcesses(t, newClient)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan desk.Event, 1)
	ready := make(chan struct{})
	go p2.Subscribe(ctx, func(e desk.Event) { got <- e })
	go func() {
		// Publish until the subscription is up: pub/sub keeps nothing.
		for {
			select {
			case <-ready:
				return
			case <-time.After(20 * time.Millisecond):
				p1.Publish(ctx, desk.Event{Kind: "queue", Chat: "rest:x"})
			}
		}
	}()
	e := <-got
	close(ready)
	if e.Kind != "queue" || e.Chat != "rest:x" {
		t.Fatalf("event %+v", e)
	}
}
