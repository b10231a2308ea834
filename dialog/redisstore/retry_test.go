package redisstore

import (
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
	r, err := s.tryAcquire(testContext(t), l, limits{})
	if err != nil || r.status != statusAcquired || string(r.state) != "before" {
		t.Fatalf("repeated acquire = status %d, state %q, %v; want acquired with the state", r.status, r.state, err)
	}
	mustCommit(t, s, l, "after", time.Hour)
	if _, state := mustAcquire(t, newStore(), "telegram:1", "m3"); string(state) != "after" {
		t.Fatalf("state %q", state)
	}
}

// testRepeatedAcquireNew: a new chat's acquire run twice counts the
// source's limit once, and allows it both times.
func testRepeatedAcquireNew(t *testing.T, _ harness, newStore storeFactory) {
	s := newStore()
	lim := statestore.Limit{Key: "source:x", Max: 2, Window: time.Hour}
	l, _, err := s.AcquireNew(testContext(t), "new1", "m1", lim, statestore.Limit{})
	if err != nil {
		t.Fatal(err)
	}
	if !l.New.Counted {
		t.Skip("the store leaves the limit to its caller")
	}
	r, err := s.tryAcquire(testContext(t), l, limits{newChat: lim})
	if err != nil || r.status != statusAcquired || !r.verdict.Counted || r.verdict.Refused {
		t.Fatalf("repeated acquire of a new chat = %+v, %v; want acquired, allowed", r, err)
	}
	mustCommit(t, s, l, "s", time.Hour)
	l, _, err = s.AcquireNew(testContext(t), "new2", "m1", lim, statestore.Limit{})
	if err != nil || l.New.Refused {
		t.Fatalf("the second new chat of a limit of 2 = %+v, %v: the repeat counted twice", l.New, err)
	}
	mustRelease(t, s, l)
}
