package dialogtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/dialog/statestore/statestoretest"
)

// The transcript semantics of dialog/redisstore's conformance suite, until
// MemStore runs that suite itself.
func TestMemStoreTranscript(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	s := NewMemStore(WithClock(func() time.Time { return now }))
	commit := func(chat string, state string, lines [][]byte, ttl time.Duration) {
		t.Helper()
		l, _, err := s.Acquire(ctx, chat, "")
		if err == nil {
			err = s.Commit(ctx, l, []byte(state), lines, ttl)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	transcript := func(chat string) string {
		t.Helper()
		got, err := s.Transcript(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		return string(bytes.Join(got, []byte(",")))
	}
	lines := func(prefix string, n int) [][]byte {
		out := make([][]byte, n)
		for i := range out {
			out[i] = fmt.Appendf(nil, "%s%d", prefix, i)
		}
		return out
	}

	commit("a", "s", lines("x", 2), time.Minute)
	commit("a", "s", nil, time.Hour)
	commit("a", "s", lines("y", 1), time.Hour)
	if got := transcript("a"); got != "x0,x1,y0" {
		t.Errorf("appended: %q", got)
	}
	commit("b", "s", lines("z", statestore.TranscriptLines+5), time.Hour)
	if got, want := transcript("b"), string(bytes.Join(lines("z", statestore.TranscriptLines+5)[5:], []byte(","))); got != want {
		t.Errorf("bounded: %q, want %q", got, want)
	}
	l, _, _ := s.Acquire(ctx, "a", "")
	if err := s.Commit(ctx, statestore.Lease{Chat: "a", Token: "other"}, []byte("s"), lines("lost", 1), time.Hour); !errors.Is(err, statestore.ErrLeaseLost) {
		t.Errorf("commit of another lease: %v", err)
	}
	if err := s.Release(ctx, l); err != nil {
		t.Fatal(err)
	}
	if got := transcript("a"); got != "x0,x1,y0" {
		t.Errorf("after a lost lease and a release: %q", got)
	}
	commit("b", "", lines("w", 1), time.Hour)
	if got := transcript("b"); got != "" {
		t.Errorf("after a reset: %q", got)
	}
	now = now.Add(2 * time.Hour)
	if got := transcript("a"); got != "" {
		t.Errorf("after the state expired: %q", got)
	}
}

// MemStore runs the state store's conformance suite, on a clock of its
// own: each Process is another handle on the same chats.
func TestMemStoreConformance(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	statestoretest.Run(t, statestoretest.Harness{
		Open: func(t *testing.T) statestoretest.Process {
			s := NewMemStore(WithClock(clock))
			return func(lockTTL time.Duration) statestore.Store { return s.Process(lockTTL) }
		},
		Elapse: func(d time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			now = now.Add(d)
		},
		Now: clock,
	})
}
