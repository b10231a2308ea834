package redisstore

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The transcript's cases particular to Redis; the others are in the
// conformance suite (dialog/statestore/statestoretest).

func lines(prefix string, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = fmt.Appendf(nil, "%s%d", prefix, i)
	}
	return out
}

func commitLines(t *testing.T, s *Store, chat, msgID string, add [][]byte, ttl time.Duration) {
	t.Helper()
	l, _ := mustAcquire(t, s, chat, msgID)
	if err := s.Commit(testContext(t), l, []byte("state"), add, ttl); err != nil {
		t.Fatalf("Commit(%+v): %v", l, err)
	}
}

// testTranscriptRoundTrips: appending costs a turn no round trip; reading
// the transcript, at a hand-over, costs one.
func testTranscriptRoundTrips(t *testing.T, _ harness, newStore storeFactory) {
	s := newStore()
	commitLines(t, s, "telegram:1", "m0", lines("a", 1), time.Hour) // loads the scripts
	hook := &countHook{}
	s.client.AddHook(hook)
	commitLines(t, s, "telegram:1", "m1", lines(strings.Repeat("x", 80), 4), time.Hour)
	if n := hook.n.Swap(0); n != 2 {
		t.Errorf("Acquire + Commit with lines took %d round trips, want 2", n)
	}
	if _, err := s.Transcript(context.Background(), "telegram:1"); err != nil {
		t.Fatal(err)
	}
	if n := hook.n.Load(); n != 1 {
		t.Errorf("Transcript took %d round trips, want 1", n)
	}
}
