package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/errs"
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

// testStateStore is the conformance suite every Redis must pass.
func testStateStore(t *testing.T, h harness) {
	tests := []struct {
		name string
		run  func(t *testing.T, h harness, newStore storeFactory)
	}{
		{"first acquire has no state", testFirstAcquire},
		{"commit then acquire returns the state", testCommitAcquire},
		{"committed message id is a duplicate", testDuplicate},
		{"released message id can be retried", testReleasedRetry},
		{"empty state resets the chat", testReset},
		{"idle state expires", testExpiry},
		{"lease lost to a later turn", testLeaseLostToOther},
		{"lease lost when the lock expired", testLeaseLostUnclaimed},
		{"held lock waits until ctx ends", testHeldUntilCtx},
		{"ending a turn lets the waiter in", testWaiter},
		{"one round trip per call", testRoundTrips},
		{"concurrent writers lose no update", testConcurrentWriters},
		{"many chats keep their own order", testManyChats},
		{"busy chat is taken in arrival order", testArrivalOrder},
		{"dead waiter does not block the chat", testDeadWaiterSkipped},
		{"empty chat id is invalid", testEmptyChat},
		{"a repeated acquire keeps its lock", testRepeatedAcquire},
		{"a repeated commit is not a lost lease", testRepeatedCommit},
		{"transcript lines are appended in order", testTranscriptAppends},
		{"transcript keeps its newest lines", testTranscriptBounded},
		{"transcript expires with the state", testTranscriptExpires},
		{"failed turns add no transcript line", testTranscriptUntouchedByFailedTurns},
		{"empty state deletes the transcript", testTranscriptReset},
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

func testFirstAcquire(t *testing.T, _ harness, newStore storeFactory) {
	s := newStore()
	l, state := mustAcquire(t, s, "telegram:1", "m1")
	if state != nil || l.Expired {
		t.Errorf("first Acquire = state %q, expired %v; want nil, false", state, l.Expired)
	}
	mustRelease(t, s, l)
}

func testCommitAcquire(t *testing.T, _ harness, newStore storeFactory) {
	s := newStore()
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, `{"step":"cuil"}`, time.Hour)
	l, state := mustAcquire(t, newStore(), "telegram:1", "m2")
	if string(state) != `{"step":"cuil"}` || l.Expired {
		t.Errorf("Acquire after Commit = %q, expired %v", state, l.Expired)
	}
	if _, other := mustAcquire(t, s, "telegram:2", "m1"); other != nil {
		t.Errorf("another chat sees state %q", other)
	}
}

func testDuplicate(t *testing.T, _ harness, newStore storeFactory) {
	s := newStore()
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	mustCommit(t, s, l, "a", time.Hour)
	dup, state, err := newStore().Acquire(testContext(t), "telegram:1", "m1")
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

func testReleasedRetry(t *testing.T, _ harness, newStore storeFactory) {
	s := newStore()
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

func testReset(t *testing.T, _ harness, newStore storeFactory) {
	s := newStore()
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

func testExpiry(t *testing.T, h harness, newStore storeFactory) {
	s := newStore()
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
func awaitExpiry(t *testing.T, h harness, s *Store, chat string) statestore.Lease {
	t.Helper()
	ctx := testContext(t)
	for ctx.Err() == nil {
		h.elapse(20 * time.Millisecond)
		l, state := mustAcquire(t, s, chat, "")
		if state == nil {
			return l
		}
		mustRelease(t, s, l)
	}
	t.Fatal("state never expired")
	return statestore.Lease{}
}

func testLeaseLostToOther(t *testing.T, h harness, newStore storeFactory) {
	a, b := newStore(WithLockTTL(20*time.Millisecond)), newStore()
	la, _ := mustAcquire(t, a, "telegram:1", "m1")
	h.elapse(30 * time.Millisecond)
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

func testLeaseLostUnclaimed(t *testing.T, h harness, newStore storeFactory) {
	s := newStore(WithLockTTL(20 * time.Millisecond))
	l, _ := mustAcquire(t, s, "telegram:1", "m1")
	h.elapse(30 * time.Millisecond)
	if err := s.Commit(testContext(t), l, []byte("a"), nil, time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Fatalf("Commit after lock expiry: %v, want ErrLeaseLost", err)
	}
	// Nothing was stored, and the message may be tried again.
	if _, state := mustAcquire(t, newStore(), "telegram:1", "m1"); state != nil {
		t.Errorf("lost commit stored %q", state)
	}
}

func testHeldUntilCtx(t *testing.T, _ harness, newStore storeFactory) {
	a, b := newStore(), newStore()
	mustAcquire(t, a, "telegram:1", "m1")
	ctx, cancel := context.WithTimeout(testContext(t), 30*time.Millisecond)
	defer cancel()
	_, _, err := b.Acquire(ctx, "telegram:1", "m2")
	if !errors.Is(err, context.DeadlineExceeded) || !errs.Is(errs.Unavailable, err) {
		t.Fatalf("Acquire of a held chat: %v, want an Unavailable DeadlineExceeded", err)
	}
}

func testWaiter(t *testing.T, _ harness, newStore storeFactory) {
	tests := []struct {
		name string
		end  func(s *Store, l statestore.Lease) error
		want string
	}{
		{"release", func(s *Store, l statestore.Lease) error { return s.Release(context.Background(), l) }, "old"},
		{"commit", func(s *Store, l statestore.Lease) error {
			return s.Commit(context.Background(), l, []byte("new"), nil, time.Hour)
		}, "new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := newStore(), newStore()
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

func testEmptyChat(t *testing.T, _ harness, newStore storeFactory) {
	_, _, err := newStore().Acquire(testContext(t), "", "m1")
	if !errs.Is(errs.Invalid, err) {
		t.Errorf("Acquire of chat \"\": %v, want Invalid", err)
	}
}

// increment runs one read-modify-write turn on chat's counter.
func increment(ctx context.Context, s *Store, chat, msgID string) error {
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

func testConcurrentWriters(t *testing.T, _ harness, newStore storeFactory) {
	const processes, workers, turns = 2, 2, 50
	ctx := testContext(t)
	errs := make(chan error, processes*workers)
	var wg sync.WaitGroup
	for p := range processes {
		s := newStore()
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
	if _, state := mustAcquire(t, newStore(), "telegram:1", ""); string(state) != strconv.Itoa(processes*workers*turns) {
		t.Errorf("counter = %s, want %d", state, processes*workers*turns)
	}
}

func testManyChats(t *testing.T, _ harness, newStore storeFactory) {
	const chats, turns = 16, 20
	ctx := testContext(t)
	stores := []*Store{newStore(), newStore()}
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
func appendTurn(ctx context.Context, s *Store, chat, msgID string) error {
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
