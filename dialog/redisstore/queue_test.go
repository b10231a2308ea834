package redisstore

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// waitQueued waits until the chat's queue holds n waiters.
func waitQueued(t *testing.T, c redis.UniversalClient, key string, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := c.LLen(context.Background(), key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue has %d waiters, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// testArrivalOrder: turns that find a chat busy get it in the order they
// asked, whichever process they run in.
func testArrivalOrder(t *testing.T, h harness, newStore storeFactory) {
	const chat = "telegram:fifo"
	ctx := testContext(t)
	holder := newStore()
	held, _ := mustAcquire(t, holder, chat, "")
	queue := holder.keys(chat, "").queue
	c := h.client(t)
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	names := []string{"first", "second", "third", "fourth"}
	for i, name := range names {
		s := newStore() // each waiter in a process of its own
		wg.Go(func() {
			l, _, err := s.Acquire(ctx, chat, name)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			if err := s.Commit(ctx, l, []byte(name), nil, time.Minute); err != nil {
				t.Error(err)
			}
		})
		waitQueued(t, c, queue, int64(i+1))
	}
	mustCommit(t, holder, held, "holder", time.Minute)
	wg.Wait()
	for i, name := range names {
		if i >= len(order) || order[i] != name {
			t.Fatalf("turns ran in order %v, want %v", order, names)
		}
	}
}

// testDeadWaiterSkipped: a waiter whose process died does not block the
// chat once its entry is stale.
func testDeadWaiterSkipped(t *testing.T, h harness, newStore storeFactory) {
	const chat = "telegram:dead"
	ctx := testContext(t)
	holder := newStore()
	held, _ := mustAcquire(t, holder, chat, "")
	dead := newStore()
	dead.waiterTTL = time.Millisecond // its entry is stale at once
	dctx, cancel := context.WithCancel(ctx)
	go func() {
		waitQueued(t, h.client(t), dead.keys(chat, "").queue, 1)
		cancel() // dies while waiting; leaving the queue fails too
	}()
	dead.leave = redis.NewScript(`return 0`)
	if _, _, err := dead.Acquire(dctx, chat, "dead"); err == nil {
		t.Fatal("a cancelled waiter acquired the chat")
	}
	mustCommit(t, holder, held, "holder", time.Minute)
	if _, state := mustAcquire(t, newStore(), chat, "alive"); string(state) != "holder" {
		t.Fatalf("state %q after skipping the dead waiter", state)
	}
}

// testArrivalOrderAcrossClocks: a process whose clock is ahead of the
// others' (a clock stepped by NTP, a VM resumed) took the waiters of the
// others for dead, their deadlines in its past, and dropped them from the
// chat's queue: they went in again behind its own, so two messages of one
// chat arriving at two replicas were handled out of order. The queue's
// deadlines are Redis' own time, whatever each process' clock says.
func testArrivalOrderAcrossClocks(t *testing.T, h harness, newStore storeFactory) {
	const chat = "telegram:clocks"
	ctx := testContext(t)
	holder := newStore()
	held, _ := mustAcquire(t, holder, chat, "")
	queue := holder.keys(chat, "").queue
	c := h.client(t)
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	names := []string{"first", "second", "third"}
	for i, name := range names {
		s := newStore()
		if i%2 == 1 {
			now := s.now
			s.now = func() time.Time { return now().Add(3 * time.Second) }
		}
		wg.Go(func() {
			l, _, err := s.Acquire(ctx, chat, name)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			if err := s.Commit(ctx, l, []byte(name), nil, time.Minute); err != nil {
				t.Error(err)
			}
		})
		waitQueued(t, c, queue, int64(i+1))
		time.Sleep(200 * time.Millisecond) // each asks again meanwhile
	}
	mustCommit(t, holder, held, "holder", time.Minute)
	wg.Wait()
	for i, name := range names {
		if i >= len(order) || order[i] != name {
			t.Fatalf("turns ran in order %v, want %v", order, names)
		}
	}
}
