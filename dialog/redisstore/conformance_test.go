package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	// elapse lets d pass on the server's clock.
	elapse func(d time.Duration)
}

// storeFactory makes Stores sharing one fresh key prefix, as several
// processes of one deployment would.
type storeFactory func(opts ...Option) *Store

// testStateStore runs the state store's conformance suite, then the cases
// particular to Redis (round trips, the waiters' queue, scripts run twice),
// on one Redis; every Redis must pass them.
func testStateStore(t *testing.T, h harness) {
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
			Elapse: h.elapse,
		})
	})
	tests := []struct {
		name string
		run  func(t *testing.T, h harness, newStore storeFactory)
	}{
		{"one round trip per call", testRoundTrips},
		{"busy chat is taken in arrival order", testArrivalOrder},
		{"dead waiter does not block the chat", testDeadWaiterSkipped},
		{"a repeated acquire keeps its lock", testRepeatedAcquire},
		{"transcript costs no round trip a turn", testTranscriptRoundTrips},
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
		return New(h.client(t), append([]Option{WithPrefix(prefix)}, opts...)...)
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
