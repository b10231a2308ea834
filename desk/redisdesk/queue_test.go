package redisdesk_test

import (
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/testenv"

	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
)

// twoProcesses returns two Queues on separate clients of the test Redis,
// as two serve processes would have, under a prefix of their own.
func twoProcesses(t *testing.T, newClient func(testing.TB) redis.UniversalClient) (*redisdesk.Queue, *redisdesk.Queue) {
	t.Helper()
	a, b := newClient(t), newClient(t)
	prefix := testenv.Prefix(t, a, "desk")
	return redisdesk.New(a, prefix), redisdesk.New(b, prefix)
}

func TestQueueMoves(t *testing.T) { onEveryServer(t, testQueueMoves) }

func testQueueMoves(t *testing.T, newClient func(testing.TB) redis.UniversalClient) {
	ctx := context.Background()
	p1, p2 := twoProcesses(t, newClient)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for i, chat := range []string{"rest:a", "whatsapp:b", "telegram:c"} {
		c := desk.Conversation{ID: chat, Chat: chat, Status: desk.Waiting, Enqueued: now}
		pos, err := p1.Put(ctx, c, []desk.Message{{At: now, From: desk.FromPerson, Text: "[clave oculta]"}})
		if err != nil || pos != i+1 {
			t.Fatalf("Put(%s) = %d, %v", chat, pos, err)
		}
	}
	if m, _ := p2.Moves(ctx); len(m) != 0 {
		t.Fatalf("moves before anything moved: %v", m)
	}
	if _, err := p2.Take(ctx, "rest:a", "ana", now); err != nil {
		t.Fatal(err)
	}
	expectMoves(t, p1, desk.Moved{Chat: "whatsapp:b", Position: 1}, desk.Moved{Chat: "telegram:c", Position: 2})
	expectMoves(t, p2) // told once, whichever process asks
	if _, err := p1.Take(ctx, "rest:a", "beto", now); !errs.Is(errs.Conflict, err) {
		t.Fatalf("beto took ana's chat: %v", err)
	}
	if _, err := p1.Finish(ctx, "rest:a", "beto"); !errs.Is(errs.Conflict, err) {
		t.Fatalf("beto closed ana's chat: %v", err)
	}
	if c, err := p2.Remove(ctx, "whatsapp:b"); err != nil || c.Status != desk.Waiting {
		t.Fatalf("Remove = %+v, %v", c, err)
	}
	expectMoves(t, p2, desk.Moved{Chat: "telegram:c", Position: 1})
	list, err := p1.List(ctx)
	if err != nil || len(list) != 2 || list[0].Chat != "telegram:c" || list[0].Position != 1 || list[1].Agent != "ana" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if _, err := p1.Append(ctx, "rest:a", desk.Message{At: now, From: desk.FromAgent, Agent: "ana", Text: "hola"}); err != nil {
		t.Fatal(err)
	}
	c, msgs, err := p2.Get(ctx, "rest:a")
	if err != nil || c.Status != desk.Active || len(msgs) != 2 || msgs[1].Text != "hola" {
		t.Fatalf("Get = %+v %+v %v", c, msgs, err)
	}
	if _, err := p2.Finish(ctx, "rest:a", "ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := p1.Append(ctx, "rest:a", desk.Message{Text: "x"}); !errs.Is(errs.NotFound, err) {
		t.Fatalf("Append after close: %v", err)
	}
}

func expectMoves(t *testing.T, q *redisdesk.Queue, want ...desk.Moved) {
	t.Helper()
	got, err := q.Moves(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("moves %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("moves %v, want %v", got, want)
		}
	}
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
