package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/dialog/statestore/statestoretest"
	"github.com/clavebot/clavebot/internal/testenv"
)

// harness is one Redis the conformance suite runs against.
type harness struct {
	// client returns a new client of the Redis under test: a new "process".
	client func(t *testing.T) redis.UniversalClient
	// elapse lets d pass on the server's clock and on clock, the
	// processes' (which decides when a handled message id is forgotten).
	elapse func(d time.Duration, clock *testClock)
	// clock is the processes' clock; testStateStore sets it.
	clock *testClock
}

// testClock is the processes' clock in tests: the time plus an offset that
// elapse moves.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// sleepOrSkip is the elapse of a Redis server, whose clock only sleeping
// moves: it sleeps the short times (lock and state TTLs in tests) and lets
// the long ones (a seen TTL: hours) pass on the processes' clock only, as
// that clock alone decides whether a handled id is forgotten; the handled
// hash's own TTL only drops ids that have ended anyway.
func sleepOrSkip(d time.Duration, clock *testClock) {
	if d > time.Minute {
		clock.add(d)
		return
	}
	time.Sleep(d)
}

// storeFactory makes Stores sharing one fresh key prefix, as several
// processes of one deployment would.
type storeFactory func(opts ...Option) *Store

// testStateStore runs the state store's conformance suite, then the cases
// particular to Redis (round trips, the waiters' queue, scripts run twice),
// on one Redis; every Redis must pass them.
func testStateStore(t *testing.T, h harness) {
	h.clock = &testClock{}
	elapse := func(d time.Duration) { h.elapse(d, h.clock) }
	t.Run("conformance", func(t *testing.T) {
		statestoretest.Run(t, statestoretest.Harness{
			Open: func(t *testing.T) statestoretest.Process {
				newStore := newFactory(t, h)
				return func(lockTTL time.Duration) statestore.Store {
					if lockTTL == 0 {
						return newStore()
					}
					return newStore(WithLockTTL(lockTTL))
				}
			},
			Elapse:  elapse,
			Now:     h.clock.now,
			SeenTTL: 24 * time.Hour, // the default
		})
	})
	tests := []struct {
		name string
		run  func(t *testing.T, h harness, newStore storeFactory)
	}{
		{"one round trip per call", testRoundTrips},
		{"busy chat is taken in arrival order", testArrivalOrder},
		{"busy chat is taken in arrival order whatever the clocks", testArrivalOrderAcrossClocks},
		{"dead waiter does not block the chat", testDeadWaiterSkipped},
		{"a repeated acquire keeps its lock", testRepeatedAcquire},
		{"a repeated acquire of a new chat counts it once", testRepeatedAcquireNew},
		{"transcript costs no round trip a turn", testTranscriptRoundTrips},
		{"handled ids stay bounded in a chat active for days", testHandledBounded},
		{"a repeated commit after sweeps is committed", testRepeatedCommitAfterSweeps},
		{"an id the previous version handled is a duplicate", testOldSeenKey},
		{"an id the previous version marked in the hash is a duplicate", testOldHandledValue},
		{"the previous version's marker says the state idled out", testOldMarker},
		{"the marker ends its TTL after the state", testMarkerEnds},
		{"counts keep their field for their window", testCountsKept},
		{"replies are kept minutes, in one key", testRepliesKept},
		{"a held lock outlives its TTL", testHoldOutlivesTTL},
		{"a hold ends when its lock is taken", testHoldEndsWhenTaken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, h, newFactory(t, h))
		})
	}
}

// newFactory returns a storeFactory with a unique prefix whose keys are
// deleted when t ends.
func newFactory(t *testing.T, h harness) storeFactory {
	prefix := uniquePrefix(t)
	t.Cleanup(func() { deletePrefix(t, h.client(t), prefix) })
	return func(opts ...Option) *Store {
		s := New(h.client(t), append([]Option{WithPrefix(prefix)}, opts...)...)
		if h.clock != nil {
			s.now = h.clock.now
		}
		return s
	}
}

func uniquePrefix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "clavebot-test:" + hex.EncodeToString(b) + ":"
}

// deletePrefix removes every key under prefix, on every node of a cluster.
func deletePrefix(t testing.TB, c redis.UniversalClient, prefix string) {
	if err := testenv.DeleteKeys(context.Background(), c, prefix+"*"); err != nil {
		t.Errorf("cleanup %s*: %v", prefix, err)
	}
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustAcquire(t *testing.T, s *Store, chat, msgID string) (statestore.Lease, []byte) {
	t.Helper()
	l, state, err := s.Acquire(testContext(t), chat, msgID)
	if err != nil {
		t.Fatalf("Acquire(%q, %q): %v", chat, msgID, err)
	}
	if l.Token == "" || l.Chat != chat || l.MsgID != msgID {
		t.Fatalf("Acquire(%q, %q) lease = %+v", chat, msgID, l)
	}
	return l, state
}

func mustCommit(t *testing.T, s *Store, l statestore.Lease, state string, ttl time.Duration) {
	t.Helper()
	if err := s.Commit(testContext(t), l, []byte(state), nil, ttl); err != nil {
		t.Fatalf("Commit(%+v): %v", l, err)
	}
}

func mustRelease(t *testing.T, s *Store, l statestore.Lease) {
	t.Helper()
	if err := s.Release(testContext(t), l); err != nil {
		t.Fatalf("Release(%+v): %v", l, err)
	}
}

func testRoundTrips(t *testing.T, h harness, newStore storeFactory) {
	s := newStore()
	l, _ := mustAcquire(t, s, "telegram:1", "m0") // loads the scripts
	mustCommit(t, s, l, "a", time.Hour)
	hook := &countHook{}
	s.client.AddHook(hook)
	l, _ = mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, "b", time.Hour)
	if n := hook.n.Load(); n != 2 {
		t.Errorf("Acquire + Commit took %d round trips, want 2", n)
	}
}
