package redisstore

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/testenv"
)

// TestEpochTellsRedisLostItsData: a chat found without a state carries
// when Redis last lost its data, as far as the store knows (the epoch,
// see epoch.go): never, until Redis is emptied; then the time, to the
// process that saw it (a readiness probe) and to another that did not.
func TestEpochTellsRedisLostItsData(t *testing.T) {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "epoch")
	ctx := context.Background()
	a, b := New(rdb, WithPrefix(prefix)), New(rdb, WithPrefix(prefix))
	acquire := func(s *Store, chat string) time.Time {
		t.Helper()
		l, _, err := s.Acquire(ctx, chat, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(ctx, l, []byte("state"), nil, time.Minute); err != nil {
			t.Fatal(err)
		}
		return l.LostAt
	}
	if lost := acquire(a, "c1"); !lost.IsZero() {
		t.Fatalf("a new chat before any loss: lost at %v, want never", lost)
	}
	if err := testenv.DeleteKeys(ctx, rdb, prefix+"*"); err != nil { // Redis emptied
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Second)
	if err := a.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if lost := acquire(a, "c1"); lost.Before(before) {
		t.Errorf("the chat after Redis was emptied: lost at %v, want since %v", lost, before)
	}
	if lost := acquire(b, "c2"); lost.Before(before) {
		t.Errorf("another process, which never saw the epoch before: lost at %v, want since %v", lost, before)
	}
	if lost := acquire(b, "c2"); !lost.IsZero() {
		t.Errorf("a chat with a state: lost at %v, want none said", lost)
	}
}
