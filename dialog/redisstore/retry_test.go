package redisstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
)

// go-redis sends a script again when the connection drops before the
// reply arrives (a failover, a network blip): these tests run a script a
// second time, as that retry would.

func testRepeatedAcquire(t *testing.T, _ harness, newStore storeFactory) {
	s := newStore()
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, "before", time.Hour)
	l, _ = mustAcquire(t, s, "telegram:1", "m2")
	status, state, _, err := s.tryAcquire(testContext(t), l)
	if err != nil || status != statusAcquired || string(state) != "before" {
		t.Fatalf("repeated acquire = status %d, state %q, %v; want acquired with the state", status, state, err)
	}
	mustCommit(t, s, l, "after", time.Hour)
	if _, state := mustAcquire(t, newStore(), "telegram:1", "m3"); string(state) != "after" {
		t.Fatalf("state %q", state)
	}
}

func testRepeatedCommit(t *testing.T, h harness, newStore storeFactory) {
	s := newStore()
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, "a", time.Hour)
	if err := s.Commit(testContext(t), l, []byte("a"), nil, time.Hour); err != nil {
		t.Fatalf("repeated commit: %v, want nil", err)
	}
	// A turn without a message id cannot tell; another turn's lease is
	// still lost.
	l, _ = mustAcquire(t, s, "telegram:1", "")
	mustCommit(t, s, l, "b", time.Hour)
	if err := s.Commit(testContext(t), l, []byte("b"), nil, time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Fatalf("repeated commit without an id: %v, want ErrLeaseLost", err)
	}
	other := newStore(WithLockTTL(20 * time.Millisecond))
	lost, _ := mustAcquire(t, other, "telegram:1", "m2")
	h.elapse(30 * time.Millisecond)
	won, _ := mustAcquire(t, s, "telegram:1", "m2") // the same message, redelivered
	mustCommit(t, s, won, "c", time.Hour)
	if err := other.Commit(context.Background(), lost, []byte("x"), nil, time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Fatalf("commit of a lease another turn replaced: %v, want ErrLeaseLost", err)
	}
}
