package statestoretest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
)

// The transcript cases: a chat's transcript is a list beside its state,
// appended to by Commit and read by Transcript.

func lines(prefix string, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = fmt.Appendf(nil, "%s%d", prefix, i)
	}
	return out
}

func commitLines(t *testing.T, s statestore.Store, chat, msgID string, add [][]byte, ttl time.Duration) {
	t.Helper()
	l, _ := mustAcquire(t, s, chat, msgID)
	if err := s.Commit(testContext(t), l, []byte("state"), add, ttl); err != nil {
		t.Fatalf("Commit(%+v): %v", l, err)
	}
}

func mustTranscript(t *testing.T, s statestore.Store, chat string) string {
	t.Helper()
	got, err := s.Transcript(testContext(t), chat)
	if err != nil {
		t.Fatalf("Transcript(%q): %v", chat, err)
	}
	return string(joinLines(got))
}

func joinLines(ls [][]byte) []byte { return bytes.Join(ls, []byte(",")) }

func testTranscriptAppends(t *testing.T, _ Harness, p Process) {
	s := p(0)
	if got := mustTranscript(t, s, "telegram:1"); got != "" {
		t.Errorf("transcript of a new chat = %q, want none", got)
	}
	commitLines(t, s, "telegram:1", "m1", [][]byte{[]byte(`{"f":"person"}`), []byte("a,1")}, time.Hour)
	commitLines(t, s, "telegram:1", "m2", nil, time.Hour)
	commitLines(t, s, "telegram:1", "", [][]byte{[]byte("b")}, time.Hour)
	want := `{"f":"person"},a,1,b`
	if got := mustTranscript(t, p(0), "telegram:1"); got != want {
		t.Errorf("transcript = %q, want %q", got, want)
	}
	if got := mustTranscript(t, s, "telegram:2"); got != "" {
		t.Errorf("another chat's transcript = %q, want none", got)
	}
}

func testTranscriptBounded(t *testing.T, _ Harness, p Process) {
	s := p(0)
	n := statestore.TranscriptLines
	commitLines(t, s, "telegram:1", "m1", lines("a", n-10), time.Hour)
	commitLines(t, s, "telegram:1", "m2", lines("b", 25), time.Hour)
	want := slices.Concat(lines("a", n-10)[15:], lines("b", 25))
	if got := mustTranscript(t, s, "telegram:1"); got != string(joinLines(want)) {
		t.Errorf("transcript = %q, want the newest %d lines %q", got, n, joinLines(want))
	}
	commitLines(t, s, "telegram:2", "m1", lines("c", n+15), time.Hour)
	if got, want := mustTranscript(t, s, "telegram:2"), joinLines(lines("c", n+15)[15:]); got != string(want) {
		t.Errorf("transcript after one long commit = %q, want %q", got, want)
	}
}

func testTranscriptExpires(t *testing.T, h Harness, p Process) {
	s := p(0)
	// The first TTL is long enough that the next commit, on a busy CI
	// machine, comes before it ends (stores on a real clock expire keys
	// on their own; 50 ms was too short under -race), short enough to
	// wait out: the transcript must outlive it by the later commit's.
	const short = time.Second
	commitLines(t, s, "telegram:1", "m1", lines("a", 2), short)
	// A commit without lines keeps the transcript as long as the state.
	commitLines(t, s, "telegram:1", "m2", nil, time.Hour)
	commitLines(t, s, "telegram:3", "m1", lines("c", 2), short)
	commitLines(t, s, "telegram:3", "m2", nil, 0)               // no idle TTL: kept
	commitLines(t, s, "telegram:2", "m1", lines("b", 2), short) // last: it ends after the others' first TTL
	awaitExpiry(t, h, s, "telegram:2")
	if got := mustTranscript(t, s, "telegram:2"); got != "" {
		t.Errorf("transcript of an expired chat = %q, want none", got)
	}
	for chat, want := range map[string]string{"telegram:1": "a0,a1", "telegram:3": "c0,c1"} {
		if got := mustTranscript(t, s, chat); got != want {
			t.Errorf("%s: transcript = %q, want %q", chat, got, want)
		}
	}
}

func testTranscriptUntouchedByFailedTurns(t *testing.T, h Harness, p Process) {
	s := p(0)
	commitLines(t, s, "telegram:1", "m1", lines("a", 1), time.Hour)
	// A turn that failed.
	l, _ := mustAcquire(t, s, "telegram:1", "m2")
	mustRelease(t, s, l)
	// A turn that outlived its lock.
	slow := p(20 * time.Millisecond)
	l, _ = mustAcquire(t, slow, "telegram:1", "m3")
	h.Elapse(30 * time.Millisecond)
	if err := slow.Commit(testContext(t), l, []byte("x"), lines("lost", 1), time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Fatalf("Commit after lock expiry: %v, want ErrLeaseLost", err)
	}
	// A commit go-redis sends again after a dropped reply.
	l, _ = mustAcquire(t, s, "telegram:1", "m4")
	for range 2 {
		if err := s.Commit(testContext(t), l, []byte("y"), lines("b", 1), time.Hour); err != nil {
			t.Fatalf("Commit: %v", err)
		}
	}
	if got := mustTranscript(t, s, "telegram:1"); got != "a0,b0" {
		t.Errorf("transcript = %q, want %q", got, "a0,b0")
	}
}

func testTranscriptReset(t *testing.T, _ Harness, p Process) {
	s := p(0)
	commitLines(t, s, "telegram:1", "m1", lines("a", 3), time.Hour)
	l, _ := mustAcquire(t, s, "telegram:1", "m2")
	if err := s.Commit(testContext(t), l, nil, lines("b", 1), time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := mustTranscript(t, s, "telegram:1"); got != "" {
		t.Errorf("transcript after a reset = %q, want none", got)
	}
}
