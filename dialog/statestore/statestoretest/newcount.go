package statestoretest

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
)

// newCounter returns s as a NewCounter, skipping t when it is none or
// counts no limit in Acquire (Redis Cluster): its caller counts them.
func newCounter(t *testing.T, s statestore.Store) statestore.NewCounter {
	t.Helper()
	nc, ok := s.(statestore.NewCounter)
	if !ok {
		t.Skip("the store counts no limit in Acquire")
	}
	l, _, err := nc.AcquireNew(testContext(t), "probe", "", statestore.Limit{Key: "probe", Max: 1 << 30, Window: time.Hour}, statestore.Limit{})
	if err != nil {
		t.Fatalf("AcquireNew: %v", err)
	}
	if l.Token == "" {
		t.Fatalf("AcquireNew of the first new chat: no lock (%+v)", l)
	}
	mustRelease(t, s, l)
	if !l.New.Counted {
		t.Skip("the store leaves the limit to its caller")
	}
	return nc
}

func mustAcquireNew(t *testing.T, nc statestore.NewCounter, chat string, lim statestore.Limit) (statestore.Lease, []byte) {
	t.Helper()
	l, state, err := nc.AcquireNew(testContext(t), chat, "", lim, statestore.Limit{})
	if err != nil {
		t.Fatalf("AcquireNew(%q): %v", chat, err)
	}
	return l, state
}

// testNewCounted: AcquireNew counts a chat new to it, not one with a
// state; beyond the limit it refuses, gives the lock back and keeps
// nothing; another key is another limit.
func testNewCounted(t *testing.T, _ Harness, p Process) {
	s := p(0)
	nc := newCounter(t, s)
	lim := statestore.Limit{Key: "source:a", Max: 2, Window: time.Hour}
	l, _ := mustAcquireNew(t, nc, "c1", lim)
	if !l.New.Counted || l.New.Refused || l.Token == "" {
		t.Fatalf("first new chat: lease %+v, want counted, allowed, locked", l)
	}
	mustCommit(t, s, l, "a", time.Hour)
	l, state := mustAcquireNew(t, nc, "c1", lim)
	if string(state) != "a" || l.New.Counted {
		t.Errorf("a chat with a state: state %q, verdict %+v; want it not counted", state, l.New)
	}
	mustRelease(t, s, l)
	l, _ = mustAcquireNew(t, nc, "c2", lim)
	if !l.New.Counted || l.New.Refused {
		t.Fatalf("second new chat: %+v, want allowed", l.New)
	}
	mustRelease(t, s, l)
	l, state = mustAcquireNew(t, nc, "c3", lim)
	if !l.New.Refused || l.Token != "" || state != nil || l.New.Retry <= 0 || l.New.Retry > time.Hour {
		t.Fatalf("third new chat of a limit of 2: lease %+v, state %q; want refused without the lock, retry within the hour", l, state)
	}
	// The lock was given back: a turn of the chat gets it at once.
	ctx, cancel := context.WithTimeout(testContext(t), 5*time.Second)
	defer cancel()
	l, state, err := s.Acquire(ctx, "c3", "")
	if err != nil || state != nil {
		t.Fatalf("Acquire after a refusal: state %q, %v; want the lock, no state", state, err)
	}
	mustRelease(t, s, l)
	l, _ = mustAcquireNew(t, nc, "c4", statestore.Limit{Key: "source:b", Max: 2, Window: time.Hour})
	if l.New.Refused {
		t.Errorf("a new chat of another key refused: %+v", l.New)
	}
	mustRelease(t, s, l)
}

// testNewExpiredNotCounted: a chat whose state idled out is no new chat:
// it is not counted (the engine says it starts over).
func testNewExpiredNotCounted(t *testing.T, h Harness, p Process) {
	s := p(0)
	nc := newCounter(t, s)
	lim := statestore.Limit{Key: "source:a", Max: 1, Window: time.Hour}
	l, _ := mustAcquire(t, s, "old", "m1")
	mustCommit(t, s, l, "a", 50*time.Millisecond)
	ctx := testContext(t)
	for ctx.Err() == nil {
		h.Elapse(20 * time.Millisecond)
		l, state := mustAcquireNew(t, nc, "old", lim)
		if state != nil {
			mustRelease(t, s, l)
			continue
		}
		if !l.Expired || l.New.Counted {
			t.Errorf("a chat idled out: expired %v, verdict %+v; want expired, not counted", l.Expired, l.New)
		}
		mustRelease(t, s, l)
		return
	}
	t.Fatal("state never expired")
}

// testNewConcurrent: 64 new chats of one key at once, over two processes,
// with a limit of 10: exactly 10 are allowed.
func testNewConcurrent(t *testing.T, _ Harness, p Process) {
	stores := []statestore.Store{p(0), p(0)}
	ncs := []statestore.NewCounter{newCounter(t, stores[0]), newCounter(t, stores[1])}
	lim := statestore.Limit{Key: "source:flood", Max: 10, Window: time.Hour}
	var allowed, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, _, err := ncs[i%2].AcquireNew(testContext(t), "flood"+strconv.Itoa(i), "m", lim, statestore.Limit{})
			switch {
			case err != nil:
				t.Errorf("AcquireNew: %v", err)
			case !l.New.Counted:
				t.Errorf("a new chat not counted: %+v", l)
			case l.New.Refused:
				refused.Add(1)
			default:
				allowed.Add(1)
				if err := stores[i%2].Commit(testContext(t), l, []byte("s"), nil, time.Hour); err != nil {
					t.Errorf("Commit: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	if allowed.Load() != 10 || refused.Load() != 54 {
		t.Errorf("64 new chats at once, a limit of 10: %d allowed, %d refused", allowed.Load(), refused.Load())
	}
}

func mustAcquireArmed(t *testing.T, nc statestore.NewCounter, chat string, lim statestore.Limit) (statestore.Lease, []byte) {
	t.Helper()
	l, state, err := nc.AcquireNew(testContext(t), chat, "", statestore.Limit{}, lim)
	if err != nil {
		t.Fatalf("AcquireNew(%q): %v", chat, err)
	}
	return l, state
}

// commitArmed commits state "s" with the lease armed as arm says, and
// the armed use spent as spent says.
func commitArmed(t *testing.T, s statestore.Store, l statestore.Lease, arm, spent bool) {
	t.Helper()
	l.Arm, l.Spent = arm, spent
	if err := s.Commit(testContext(t), l, []byte("s"), nil, time.Hour); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

// testArmedReserves: a chat armed by its last commit counts the armed
// limit when taken; the use not spent is given back at commit, the one
// spent stays; a chat not armed, or new, is not counted; beyond the
// limit the lease is refused but holds its lock.
func testArmedReserves(t *testing.T, _ Harness, p Process) {
	s := p(0)
	nc := newCounter(t, s)
	lim := statestore.Limit{Key: "cuil:a", Max: 1, Window: time.Hour}
	l, _ := mustAcquireArmed(t, nc, "a1", lim)
	if l.Armed.Counted {
		t.Errorf("a new chat counted its armed limit: %+v", l.Armed)
	}
	commitArmed(t, s, l, false, false)
	l, _ = mustAcquireArmed(t, nc, "a1", lim)
	if l.Armed.Counted {
		t.Errorf("a chat not armed counted: %+v", l.Armed)
	}
	commitArmed(t, s, l, true, false)
	for range 3 { // not spent: given back each time
		l, _ = mustAcquireArmed(t, nc, "a1", lim)
		if !l.Armed.Counted || l.Armed.Refused {
			t.Fatalf("an armed chat, the use given back before: %+v, want counted, allowed", l.Armed)
		}
		commitArmed(t, s, l, true, false)
	}
	l, _ = mustAcquireArmed(t, nc, "a1", lim)
	commitArmed(t, s, l, true, true) // spent: the limit's one use
	l, _ = mustAcquireArmed(t, nc, "a1", lim)
	if !l.Armed.Refused || l.Token == "" || l.Armed.Retry <= 0 || l.Armed.Retry > time.Hour {
		t.Fatalf("an armed chat past the limit: %+v; want refused, the lock held, retry within the hour", l)
	}
	commitArmed(t, s, l, false, false)
	l, _ = mustAcquireArmed(t, nc, "a1", lim)
	if l.Armed.Counted {
		t.Errorf("a chat disarmed counted: %+v", l.Armed)
	}
	mustRelease(t, s, l)
}

// testArmedConcurrent: 64 armed chats spending their use at once, over
// two processes, with a limit of 10: exactly 10 are allowed.
func testArmedConcurrent(t *testing.T, _ Harness, p Process) {
	stores := []statestore.Store{p(0), p(0)}
	ncs := []statestore.NewCounter{newCounter(t, stores[0]), newCounter(t, stores[1])}
	lim := statestore.Limit{Key: "cuil:flood", Max: 10, Window: time.Hour}
	for i := range 64 {
		l, _ := mustAcquire(t, stores[0], "armed"+strconv.Itoa(i), "")
		commitArmed(t, stores[0], l, true, false)
	}
	var allowed, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, _, err := ncs[i%2].AcquireNew(testContext(t), "armed"+strconv.Itoa(i), "m", statestore.Limit{}, lim)
			switch {
			case err != nil:
				t.Errorf("AcquireNew: %v", err)
				return
			case !l.Armed.Counted:
				t.Errorf("an armed chat not counted: %+v", l)
			case l.Armed.Refused:
				refused.Add(1)
			default:
				allowed.Add(1)
			}
			l.Spent = true
			if err := stores[i%2].Commit(testContext(t), l, []byte("s"), nil, time.Hour); err != nil {
				t.Errorf("Commit: %v", err)
			}
		}()
	}
	wg.Wait()
	if allowed.Load() != 10 || refused.Load() != 54 {
		t.Errorf("64 armed chats at once, a limit of 10: %d allowed, %d refused", allowed.Load(), refused.Load())
	}
}
