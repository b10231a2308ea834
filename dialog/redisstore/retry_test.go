package redisstore

import (
	"testing"
	"time"
)

// go-redis sends a script again when the connection drops before the
// reply arrives (a failover, a network blip): these tests run a script a
// second time, as that retry would.

func testRepeatedAcquire(t *testing.T, _ harness, newStore storeFactory) {
	s := newStore()
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, "before", time.Hour)
	l, _ = mustAcquire(t, s, "telegram:1", "m2")
	status, state, _, _, err := s.tryAcquire(testContext(t), l)
	if err != nil || status != statusAcquired || string(state) != "before" {
		t.Fatalf("repeated acquire = status %d, state %q, %v; want acquired with the state", status, state, err)
	}
	mustCommit(t, s, l, "after", time.Hour)
	if _, state := mustAcquire(t, newStore(), "telegram:1", "m3"); string(state) != "after" {
		t.Fatalf("state %q", state)
	}
}
