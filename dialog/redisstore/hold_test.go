package redisstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/testenv"
)

// testHoldOutlivesTTL: a held lock lasts as long as its turn, past its
// TTL; another turn waits, and the holder commits. (The TTL leaves a
// renewal's third more than the embedded Redis' second: its clock jumps
// a second at a time.)
func testHoldOutlivesTTL(t *testing.T, _ harness, newStore storeFactory) {
	const chat = "telegram:held"
	const ttl = 2400 * time.Millisecond
	s := newStore(WithLockTTL(ttl))
	l, _ := mustAcquire(t, s, chat, "m1")
	held, stop := s.Hold(testContext(t), l)
	defer stop()
	time.Sleep(ttl * 3 / 2)
	if err := held.Err(); err != nil {
		t.Fatalf("the hold ended: %v (%v)", err, context.Cause(held))
	}
	ctx, cancel := context.WithTimeout(testContext(t), 100*time.Millisecond)
	defer cancel()
	if _, _, err := newStore().Acquire(ctx, chat, "m2"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire of a held chat past its TTL: %v, want DeadlineExceeded", err)
	}
	mustCommit(t, s, l, "held", time.Minute)
}

// testHoldEndsWhenTaken: a lock that is no longer the lease's (lost with
// Redis' data, taken by another turn) ends the hold's context at its next
// renewal, with ErrLeaseLost.
func testHoldEndsWhenTaken(t *testing.T, h harness, newStore storeFactory) {
	const chat = "telegram:taken"
	s := newStore(WithLockTTL(300 * time.Millisecond))
	l, _ := mustAcquire(t, s, chat, "m1")
	held, stop := s.Hold(testContext(t), l)
	defer stop()
	if err := h.client(t).Set(testContext(t), s.keys(chat, "").lock, "another", 0).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-held.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the hold of a lock taken by another went on")
	}
	if cause := context.Cause(held); !errors.Is(cause, statestore.ErrLeaseLost) {
		t.Fatalf("cause %v, want ErrLeaseLost", cause)
	}
}

// TestHoldFencesBeforeTheLockEnds: a holder cut off from Redis cannot
// renew; its turn's context ends while the lock still lives in Redis, so
// the turn stops before another can take the chat.
func TestHoldFencesBeforeTheLockEnds(t *testing.T) {
	opts := realRedis(t)
	direct := testenv.Redis(t)
	p := testenv.NewProxy(t, opts.Addr)
	cut := redis.NewClient(&redis.Options{
		Addr: p.Addr(), DB: opts.DB, Username: opts.Username, Password: opts.Password, MaxRetries: -1,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
	t.Cleanup(func() { cut.Close() })
	prefix := testenv.Prefix(t, direct, "hold")
	s := New(cut, WithPrefix(prefix), WithLockTTL(900*time.Millisecond))
	const chat = "telegram:cut"
	l, _ := mustAcquire(t, s, chat, "m1")
	held, stop := s.Hold(testContext(t), l)
	defer stop()
	p.Hang()
	defer p.Restore()
	select {
	case <-held.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a hold that cannot renew went on")
	}
	ttl, err := direct.PTTL(testContext(t), s.keys(chat, "").lock).Result()
	if err != nil || ttl <= 0 {
		t.Fatalf("the hold ended after its lock did (PTTL %v, %v): another turn could already have taken the chat", ttl, err)
	}
	if cause := context.Cause(held); !errors.Is(cause, statestore.ErrLeaseLost) {
		t.Fatalf("cause %v, want ErrLeaseLost", cause)
	}
}

// TestHoldOfAShortTurnStartsNothing: a turn ends within milliseconds,
// long before its lock's first renewal is due, and its hold runs nothing
// until then. Each hold started a goroutine with two timers, on every
// turn of every chat (issue 14): 1,000 turns held at once were 1,000
// goroutines.
func TestHoldOfAShortTurnStartsNothing(t *testing.T) {
	s := New(redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}), WithLockTTL(time.Minute))
	const turns = 1000
	before := runtime.NumGoroutine()
	stops := make([]func(), 0, turns)
	for i := range turns {
		_, stop := s.Hold(testContext(t), statestore.Lease{Chat: fmt.Sprintf("rest:short%d", i), MsgID: "m1", Token: "t"})
		stops = append(stops, stop)
	}
	during := runtime.NumGoroutine()
	for _, stop := range stops {
		stop()
	}
	if grew := during - before; grew >= turns/10 {
		t.Fatalf("%d turns held at once started %d goroutines before any renewal was due", turns, grew)
	}
}
