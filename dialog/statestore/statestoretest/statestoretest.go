// Package statestoretest is the conformance suite of statestore.Store,
// as testing/fstest is of fs.FS: every implementation runs it (the Redis
// store on a server, a Cluster, a Sentinel set and the embedded Redis;
// dialogtest's MemStore), so the fakes the engine's tests use keep the
// semantics production has.
package statestoretest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/errs"
)

// Process opens one more handle on the storage of a test, as one process
// of a deployment holds it. Its locks last lockTTL, or the store's own
// default (longer than any test) when lockTTL is zero.
type Process func(lockTTL time.Duration) statestore.Store

// Harness is the storage under test.
type Harness struct {
	// Open returns the processes of fresh, empty storage, removed when t
	// ends.
	Open func(t *testing.T) Process
	// Elapse lets d pass on the storage's clock.
	Elapse func(d time.Duration)
	// Now is the storage's clock, by which a count's window ends
	// (time.Now when nil).
	Now func() time.Time
	// SeenTTL is how long the stores remember a committed message id
	// (statestore.ErrDuplicate); zero when they never forget one (the
	// suite then checks that they remember it).
	SeenTTL time.Duration
}

// Run runs the suite, each case a subtest on fresh storage.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		run  func(t *testing.T, h Harness, p Process)
	}{
		{"first acquire has no state", testFirstAcquire},
		{"commit then acquire returns the state", testCommitAcquire},
		{"committed message id is a duplicate", testDuplicate},
		{"a repeated id gets the replies kept for it", testReplay},
		{"released message id can be retried", testReleasedRetry},
		{"empty state resets the chat", testReset},
		{"idle state expires", testExpiry},
		{"lease lost to a later turn", testLeaseLostToOther},
		{"lease lost when the lock expired", testLeaseLostUnclaimed},
		{"held lock waits until ctx ends", testHeldUntilCtx},
		{"ending a turn lets the waiter in", testWaiter},
		{"concurrent writers lose no update", testConcurrentWriters},
		{"many chats keep their own order", testManyChats},
		{"empty chat id is invalid", testEmptyChat},
		{"a repeated commit is not a lost lease", testRepeatedCommit},
		{"a message id is a duplicate for the seen TTL", testSeenTTL},
		{"counts outlive the state until their windows end", testCounts},
		{"a lost lease counts nothing", testCountsLeaseLost},
		{"transcript lines are appended in order", testTranscriptAppends},
		{"transcript keeps its newest lines", testTranscriptBounded},
		{"transcript expires with the state", testTranscriptExpires},
		{"failed turns add no transcript line", testTranscriptUntouchedByFailedTurns},
		{"empty state deletes the transcript", testTranscriptReset},
		{"a new chat counts its limit in acquire", testNewCounted},
		{"a chat idled out is not counted new", testNewExpiredNotCounted},
		{"new chats at once take exactly the limit", testNewConcurrent},
		{"an armed chat reserves a use, given back unspent", testArmedReserves},
		{"armed chats at once take exactly the limit", testArmedConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, h, h.Open(t))
		})
	}
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustAcquire(t *testing.T, s statestore.Store, chat, msgID string) (statestore.Lease, []byte) {
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

func mustCommit(t *testing.T, s statestore.Store, l statestore.Lease, state string, ttl time.Duration) {
	t.Helper()
	if err := s.Commit(testContext(t), l, []byte(state), nil, ttl); err != nil {
		t.Fatalf("Commit(%+v): %v", l, err)
	}
}

func mustRelease(t *testing.T, s statestore.Store, l statestore.Lease) {
	t.Helper()
	if err := s.Release(testContext(t), l); err != nil {
		t.Fatalf("Release(%+v): %v", l, err)
	}
}

func testFirstAcquire(t *testing.T, _ Harness, p Process) {
	s := p(0)
	l, state := mustAcquire(t, s, "telegram:1", "m1")
	if state != nil || l.Expired {
		t.Errorf("first Acquire = state %q, expired %v; want nil, false", state, l.Expired)
	}
	mustRelease(t, s, l)
}

func testCommitAcquire(t *testing.T, _ Harness, p Process) {
	s := p(0)
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, `{"step":"cuil"}`, time.Hour)
	l, state := mustAcquire(t, p(0), "telegram:1", "m2")
	if string(state) != `{"step":"cuil"}` || l.Expired {
		t.Errorf("Acquire after Commit = %q, expired %v", state, l.Expired)
	}
	if _, other := mustAcquire(t, s, "telegram:2", "m1"); other != nil {
		t.Errorf("another chat sees state %q", other)
	}
}

func testDuplicate(t *testing.T, _ Harness, p Process) {
	s := p(0)
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, "a", time.Hour)
	dup, state, err := p(0).Acquire(testContext(t), "telegram:1", "m1")
	if !errors.Is(err, statestore.ErrDuplicate) || dup.Token != "" || state != nil {
		t.Fatalf("Acquire of a committed id = %+v, %q, %v; want ErrDuplicate without lease", dup, state, err)
	}
	// The duplicate took no lock: the next message gets in at once.
	l, _ = mustAcquire(t, s, "telegram:1", "m2")
	mustCommit(t, s, l, "b", time.Hour)
	// The same id in another chat is another message; "" never repeats.
	mustRelease(t, s, first(mustAcquire(t, s, "telegram:2", "m1")))
	for range 2 {
		l, _ = mustAcquire(t, s, "telegram:1", "")
		mustCommit(t, s, l, "c", time.Hour)
	}
}

func first[A, B any](a A, _ B) A { return a }

func testReleasedRetry(t *testing.T, _ Harness, p Process) {
	s := p(0)
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, "before", time.Hour)
	l, _ = mustAcquire(t, s, "telegram:1", "m2")
	mustRelease(t, s, l) // the turn failed
	l, state := mustAcquire(t, s, "telegram:1", "m2")
	if string(state) != "before" {
		t.Errorf("state after a released turn = %q, want %q", state, "before")
	}
	mustCommit(t, s, l, "after", time.Hour)
}

func testReset(t *testing.T, _ Harness, p Process) {
	s := p(0)
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, "a", time.Hour)
	l, _ = mustAcquire(t, s, "telegram:1", "m2")
	if err := s.Commit(testContext(t), l, nil, nil, time.Hour); err != nil {
		t.Fatal(err)
	}
	l, state := mustAcquire(t, s, "telegram:1", "m3")
	if state != nil || l.Expired {
		t.Errorf("after reset: state %q, expired %v; want nil, false", state, l.Expired)
	}
	mustRelease(t, s, l)
	if _, _, err := s.Acquire(testContext(t), "telegram:1", "m2"); !errors.Is(err, statestore.ErrDuplicate) {
		t.Errorf("reset turn's id: err = %v, want ErrDuplicate", err)
	}
}

func testExpiry(t *testing.T, h Harness, p Process) {
	s := p(0)
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, "a", 50*time.Millisecond)
	l = awaitExpiry(t, h, s, "telegram:1")
	if !l.Expired {
		t.Errorf("Acquire after idle timeout: Expired = false")
	}
	mustCommit(t, s, l, "fresh", time.Hour)
	l, state := mustAcquire(t, s, "telegram:1", "")
	if string(state) != "fresh" || l.Expired {
		t.Errorf("after a new commit: state %q, expired %v", state, l.Expired)
	}
	mustRelease(t, s, l)
}

// awaitExpiry polls until chat's state is gone and returns the lease of the
// Acquire that saw it gone.
func awaitExpiry(t *testing.T, h Harness, s statestore.Store, chat string) statestore.Lease {
	t.Helper()
	ctx := testContext(t)
	for ctx.Err() == nil {
		h.Elapse(20 * time.Millisecond)
		l, state := mustAcquire(t, s, chat, "")
		if state == nil {
			return l
		}
		mustRelease(t, s, l)
	}
	t.Fatal("state never expired")
	return statestore.Lease{}
}

func testLeaseLostToOther(t *testing.T, h Harness, p Process) {
	a, b := p(20*time.Millisecond), p(0)
	la, _ := mustAcquire(t, a, "telegram:1", "m1")
	h.Elapse(30 * time.Millisecond)
	lb, _ := mustAcquire(t, b, "telegram:1", "m2")
	if err := a.Commit(testContext(t), la, []byte("a"), nil, time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Fatalf("Commit of an expired lease: %v, want ErrLeaseLost", err)
	}
	mustRelease(t, a, la) // must not free b's lock
	ctx, cancel := context.WithTimeout(testContext(t), 30*time.Millisecond)
	defer cancel()
	if _, _, err := a.Acquire(ctx, "telegram:1", "m3"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire while b holds the lock: %v, want DeadlineExceeded", err)
	}
	mustCommit(t, b, lb, "b", time.Hour)
	if _, state := mustAcquire(t, a, "telegram:1", "m1"); string(state) != "b" {
		t.Errorf("state = %q, want b's", state)
	}
}

func testLeaseLostUnclaimed(t *testing.T, h Harness, p Process) {
	s := p(20 * time.Millisecond)
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	h.Elapse(30 * time.Millisecond)
	if err := s.Commit(testContext(t), l, []byte("a"), nil, time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Fatalf("Commit after lock expiry: %v, want ErrLeaseLost", err)
	}
	// Nothing was stored, and the message may be tried again.
	if _, state := mustAcquire(t, p(0), "telegram:1", "m1"); state != nil {
		t.Errorf("lost commit stored %q", state)
	}
}

func testHeldUntilCtx(t *testing.T, _ Harness, p Process) {
	a, b := p(0), p(0)
	mustAcquire(t, a, "telegram:1", "m1")
	ctx, cancel := context.WithTimeout(testContext(t), 30*time.Millisecond)
	defer cancel()
	_, _, err := b.Acquire(ctx, "telegram:1", "m2")
	if !errors.Is(err, context.DeadlineExceeded) || !errs.Is(errs.Unavailable, err) {
		t.Fatalf("Acquire of a held chat: %v, want an Unavailable DeadlineExceeded", err)
	}
}

func testWaiter(t *testing.T, _ Harness, p Process) {
	tests := []struct {
		name string
		end  func(s statestore.Store, l statestore.Lease) error
		want string
	}{
		{"release", func(s statestore.Store, l statestore.Lease) error { return s.Release(context.Background(), l) }, "old"},
		{"commit", func(s statestore.Store, l statestore.Lease) error {
			return s.Commit(context.Background(), l, []byte("new"), nil, time.Hour)
		}, "new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := p(0), p(0)
			chat := "telegram:" + tt.name
			l, _ := mustAcquire(t, a, chat, "m1")
			mustCommit(t, a, l, "old", time.Hour)
			l, _ = mustAcquire(t, a, chat, "m2")
			got := make(chan string, 1)
			go func() {
				lb, state, err := b.Acquire(testContext(t), chat, "m3")
				if err == nil {
					err = b.Release(context.Background(), lb)
				}
				if err != nil {
					got <- err.Error()
					return
				}
				got <- string(state)
			}()
			if err := tt.end(a, l); err != nil {
				t.Fatal(err)
			}
			if s := <-got; s != tt.want {
				t.Errorf("waiter got %q, want %q", s, tt.want)
			}
		})
	}
}

func testEmptyChat(t *testing.T, _ Harness, p Process) {
	_, _, err := p(0).Acquire(testContext(t), "", "m1")
	if !errs.Is(errs.Invalid, err) {
		t.Errorf("Acquire of chat \"\": %v, want Invalid", err)
	}
}

// increment runs one read-modify-write turn on chat's counter.
func increment(ctx context.Context, s statestore.Store, chat, msgID string) error {
	l, state, err := s.Acquire(ctx, chat, msgID)
	if err != nil {
		return err
	}
	n := 0
	if state != nil {
		if n, err = strconv.Atoi(string(state)); err != nil {
			return err
		}
	}
	return s.Commit(ctx, l, []byte(strconv.Itoa(n+1)), nil, time.Hour)
}

func testConcurrentWriters(t *testing.T, _ Harness, open Process) {
	const processes, workers, turns = 2, 2, 50
	ctx := testContext(t)
	errs := make(chan error, processes*workers)
	var wg sync.WaitGroup
	for p := range processes {
		s := open(0)
		for w := range workers {
			wg.Go(func() {
				for i := range turns {
					if err := increment(ctx, s, "telegram:1", fmt.Sprintf("p%d-w%d-%d", p, w, i)); err != nil {
						errs <- err
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if _, state := mustAcquire(t, open(0), "telegram:1", ""); string(state) != strconv.Itoa(processes*workers*turns) {
		t.Errorf("counter = %s, want %d", state, processes*workers*turns)
	}
}

func testManyChats(t *testing.T, _ Harness, p Process) {
	const chats, turns = 16, 20
	ctx := testContext(t)
	stores := []statestore.Store{p(0), p(0)}
	errs := make(chan error, chats)
	var wg sync.WaitGroup
	for c := range chats {
		wg.Go(func() {
			chat := fmt.Sprintf("whatsapp:%d", c)
			for i := range turns {
				if err := appendTurn(ctx, stores[i%2], chat, strconv.Itoa(i)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := make([]string, turns)
	for i := range want {
		want[i] = strconv.Itoa(i)
	}
	for c := range chats {
		chat := fmt.Sprintf("whatsapp:%d", c)
		if _, state := mustAcquire(t, stores[0], chat, ""); string(state) != chat+":"+strings.Join(want, ",") {
			t.Errorf("%s: state %q", chat, state)
		}
	}
}

// appendTurn appends msgID to chat's state, which starts with the chat id.
func appendTurn(ctx context.Context, s statestore.Store, chat, msgID string) error {
	l, state, err := s.Acquire(ctx, chat, msgID)
	if err != nil {
		return err
	}
	next := chat + ":" + msgID
	if state != nil {
		next = string(state) + "," + msgID
	}
	return s.Commit(ctx, l, []byte(next), nil, time.Hour)
}

func testRepeatedCommit(t *testing.T, h Harness, p Process) {
	s := p(0)
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
	other := p(20 * time.Millisecond)
	lost, _ := mustAcquire(t, other, "telegram:1", "m2")
	h.Elapse(30 * time.Millisecond)
	won, _ := mustAcquire(t, s, "telegram:1", "m2") // the same message, redelivered
	mustCommit(t, s, won, "c", time.Hour)
	if err := other.Commit(context.Background(), lost, []byte("x"), nil, time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Fatalf("commit of a lease another turn replaced: %v, want ErrLeaseLost", err)
	}
}

// testSeenTTL: a committed id is a duplicate until SeenTTL has passed
// since its commit, and not after, even while the chat handles other
// messages meanwhile (which keep its record of ids alive).
func testSeenTTL(t *testing.T, h Harness, p Process) {
	const chat = "telegram:1"
	s := p(0)
	ttl := h.SeenTTL
	if ttl == 0 {
		ttl = 24 * time.Hour
	}
	isDuplicate := func(msgID string) bool {
		t.Helper()
		l, _, err := s.Acquire(testContext(t), chat, msgID)
		if errors.Is(err, statestore.ErrDuplicate) {
			return true
		}
		if err != nil {
			t.Fatalf("Acquire(%q): %v", msgID, err)
		}
		mustRelease(t, s, l)
		return false
	}
	check := func(when string, want map[string]bool) {
		t.Helper()
		for id, dup := range want {
			if got := isDuplicate(id); got != dup {
				t.Errorf("%s: %s is a duplicate: %v, want %v", when, id, got, dup)
			}
		}
	}
	forgets := h.SeenTTL > 0
	l, _ := mustAcquire(t, s, chat, "m1")
	mustCommit(t, s, l, "a", 0)
	h.Elapse(ttl / 2)
	l, _ = mustAcquire(t, s, chat, "m2")
	mustCommit(t, s, l, "b", 0)
	check("just committed", map[string]bool{"m1": true, "m2": true})
	h.Elapse(ttl/2 - ttl/100)
	check("just before m1's TTL", map[string]bool{"m1": true, "m2": true})
	h.Elapse(ttl / 50)
	check("just after m1's TTL", map[string]bool{"m1": !forgets, "m2": true})
	h.Elapse(ttl / 2)
	check("after both TTLs", map[string]bool{"m1": !forgets, "m2": !forgets})
}

// now is the storage's clock.
func (h Harness) now() time.Time {
	if h.Now == nil {
		return time.Now()
	}
	return h.Now()
}

// sameCounts compares counts, their ends to the second (a store may keep
// them rounded up to it).
func sameCounts(got, want map[string]statestore.Count) bool {
	if len(got) != len(want) {
		return false
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok || g.N != w.N || g.Ends.Before(w.Ends.Truncate(time.Second)) || g.Ends.After(w.Ends.Add(time.Second)) {
			return false
		}
	}
	return true
}

// testCounts: a chat's counts are returned by the next Acquire as its
// last commit left them, kept when the chat is forgotten (an empty state:
// a person cannot reset a limit by starting over) and until their window
// ends, however short the state's life.
func testCounts(t *testing.T, h Harness, p Process) {
	const chat = "telegram:1"
	s := p(0)
	l, _ := mustAcquire(t, s, chat, "m1")
	if len(l.Counts) != 0 {
		t.Fatalf("first Acquire: counts %v, want none", l.Counts)
	}
	now := h.now()
	l.Counts = map[string]statestore.Count{
		"cuil": {N: 3, Ends: now.Add(2 * time.Hour)},
		"code": {N: 1, Ends: now.Add(30 * time.Minute)},
	}
	mustCommit(t, s, l, "a", time.Minute)
	want := maps.Clone(l.Counts)
	l, _ = mustAcquire(t, s, chat, "m2")
	if !sameCounts(l.Counts, want) {
		t.Fatalf("after a commit: counts %v, want %v", l.Counts, want)
	}
	mustCommit(t, s, l, "", 0) // the chat is forgotten
	l, state := mustAcquire(t, s, chat, "m3")
	if state != nil || !sameCounts(l.Counts, want) {
		t.Fatalf("after the chat was forgotten: state %q, counts %v, want no state and %v", state, l.Counts, want)
	}
	mustRelease(t, s, l)
	// Committed without a message id (as an agent's message is), with a
	// state that lives a minute: the counts stay for their windows.
	l, _ = mustAcquire(t, s, chat, "")
	mustCommit(t, s, l, "b", time.Minute)
	h.Elapse(45 * time.Minute)
	l, _ = mustAcquire(t, s, chat, "m4")
	if got := l.Counts["cuil"]; !sameCounts(map[string]statestore.Count{"cuil": got}, map[string]statestore.Count{"cuil": want["cuil"]}) {
		t.Fatalf("45 minutes later: counts %v, want cuil %v", l.Counts, want["cuil"])
	}
}

// testCountsLeaseLost: a turn that lost its lease stores none of its
// counts; the turn that took the chat stores its own.
func testCountsLeaseLost(t *testing.T, h Harness, p Process) {
	const chat = "telegram:1"
	s, other := p(0), p(20*time.Millisecond)
	lost, _ := mustAcquire(t, other, chat, "m1")
	h.Elapse(30 * time.Millisecond)
	won, _ := mustAcquire(t, s, chat, "m2")
	ends := h.now().Add(time.Hour)
	won.Counts = map[string]statestore.Count{"cuil": {N: 1, Ends: ends}}
	mustCommit(t, s, won, "a", time.Hour)
	lost.Counts = map[string]statestore.Count{"cuil": {N: 9, Ends: ends}}
	if err := other.Commit(testContext(t), lost, []byte("x"), nil, time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Fatalf("commit of a lost lease: %v, want ErrLeaseLost", err)
	}
	l, _ := mustAcquire(t, s, chat, "m3")
	if want := map[string]statestore.Count{"cuil": {N: 1, Ends: ends}}; !sameCounts(l.Counts, want) {
		t.Fatalf("counts %v, want %v (the lost lease's)", l.Counts, want)
	}
}

// testReplay: a message id committed with replies gets them back from
// Acquire while it is the chat's last message, from any process; a
// message committed without replies (or without an id) forgets them; an
// empty state (the chat forgotten) keeps them.
func testReplay(t *testing.T, _ Harness, p Process) {
	const chat = "rest:1"
	commit := func(id, state, replies string) {
		t.Helper()
		l, _ := mustAcquire(t, p(0), chat, id)
		l.Replies = []byte(replies)
		mustCommit(t, p(0), l, state, time.Hour)
	}
	kept := func(id string) string {
		t.Helper()
		l, state, err := p(0).Acquire(testContext(t), chat, id)
		if !errors.Is(err, statestore.ErrDuplicate) || l.Token != "" || state != nil {
			t.Fatalf("Acquire of committed %s = %+v, %q, %v; want ErrDuplicate without lease", id, l, state, err)
		}
		return string(l.Replies)
	}
	commit("m1", "a", `["one"]`)
	if got := kept("m1"); got != `["one"]` {
		t.Errorf("m1 repeated: replies %q, want [\"one\"]", got)
	}
	if got := kept("m1"); got != `["one"]` {
		t.Errorf("m1 repeated twice: replies %q, want them again", got)
	}
	commit("m2", "b", "")
	if got := kept("m2"); got != "" {
		t.Errorf("m2, committed without replies: replies %q, want none", got)
	}
	if got := kept("m1"); got != "" {
		t.Errorf("m1 after m2: %q, want none (m1 is no longer the last)", got)
	}
	commit("m1b", "b", `["one b"]`)
	commit("", "b", "")
	if got := kept("m1b"); got != "" {
		t.Errorf("m1b after a message without an id: %q, want none", got)
	}
	commit("m3", "", `["three"]`)
	if got, old := kept("m3"), kept("m1"); got != `["three"]` || old != "" {
		t.Errorf("after m3 (the chat forgotten): m3 %q, m1 %q; want [\"three\"] and none", got, old)
	}
	// An id that is a prefix of the kept one's is not it.
	commit("m", "c", "")
	if got := kept("m"); got != "" {
		t.Errorf("m, a prefix of m3: replies %q, want none", got)
	}
	// Another chat's same id is not a duplicate at all.
	l, _ := mustAcquire(t, p(0), "rest:2", "m3")
	mustRelease(t, p(0), l)
}
