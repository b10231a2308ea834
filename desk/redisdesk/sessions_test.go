package redisdesk_test

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/internal/testenv"
)

func TestLimiterBackoff(t *testing.T) {
	ctx := context.Background()
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "desk")
	l := redisdesk.NewLimiter(rdb, prefix)
	b := desk.Backoff{Free: 2, Base: time.Second, Max: 4 * time.Second, Window: time.Minute}
	t0 := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		name string
		at   time.Duration
		op   func(time.Time) (time.Duration, error)
		want time.Duration
	}{
		{"first free", 0, reserve(l, b), 0},
		{"second free", 0, reserve(l, b), 0},
		{"third waits a second", 0, reserve(l, b), time.Second},
		{"peek agrees", 500 * time.Millisecond, peek(l, b), 500 * time.Millisecond},
		{"after the wait", time.Second, reserve(l, b), 0},
		{"then two seconds", time.Second, reserve(l, b), 2 * time.Second},
		{"after them", 3 * time.Second, reserve(l, b), 0},
		{"capped at four", 3 * time.Second, reserve(l, b), 4 * time.Second},
		{"refunded back to two seconds", 3 * time.Second, func(now time.Time) (time.Duration, error) {
			if err := l.Refund(ctx, "k"); err != nil {
				return 0, err
			}
			return l.Peek(ctx, "k", b, now)
		}, 2 * time.Second},
		{"reset", 3 * time.Second, func(now time.Time) (time.Duration, error) {
			if err := l.Reset(ctx, "k"); err != nil {
				return 0, err
			}
			return l.Reserve(ctx, "k", b, now)
		}, 0},
	}
	for _, s := range steps {
		got, err := s.op(t0.Add(s.at))
		if err != nil || got != s.want {
			t.Fatalf("%s: %v, %v; want %v", s.name, got, err, s.want)
		}
	}
	ttl, err := rdb.PTTL(ctx, prefix+"desk:limit:k").Result()
	if err != nil || ttl <= 0 || ttl > b.Window {
		t.Errorf("the counter lives %v (%v), want at most its window", ttl, err)
	}
}

func reserve(l *redisdesk.Limiter, b desk.Backoff) func(time.Time) (time.Duration, error) {
	return func(now time.Time) (time.Duration, error) { return l.Reserve(context.Background(), "k", b, now) }
}

func peek(l *redisdesk.Limiter, b desk.Backoff) func(time.Time) (time.Duration, error) {
	return func(now time.Time) (time.Duration, error) { return l.Peek(context.Background(), "k", b, now) }
}

// TestSessionEndsReachOtherProcesses: an end announced by one process is
// heard by another.
func TestSessionEndsReachOtherProcesses(t *testing.T) {
	a, b := testenv.Redis(t), testenv.Redis(t)
	prefix := testenv.Prefix(t, a, "desk")
	sa, sb := redisdesk.NewSessions(a, prefix), redisdesk.NewSessions(b, prefix)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	heard := make(chan desk.SessionEnd, 2)
	done := make(chan error, 1)
	go func() { done <- sb.Watch(ctx, func(e desk.SessionEnd) { heard <- e }) }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		n, _ := a.PubSubNumSub(ctx, prefix+"desk:session-ends").Result()
		if n[prefix+"desk:session-ends"] > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("nobody subscribed")
		}
	}
	s := desk.Session{ID: "s1", Agent: "ana"}
	if err := sa.Put(ctx, "token", s, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := sa.End(ctx, "token", s); err != nil {
		t.Fatal(err)
	}
	if err := sa.EndAgent(ctx, "beto"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []desk.SessionEnd{{Session: "s1"}, {Agent: "beto"}} {
		select {
		case got := <-heard:
			if got != want {
				t.Fatalf("heard %+v, want %+v", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("never heard %+v", want)
		}
	}
	if alive, err := sb.Alive(ctx, []string{"token"}); err != nil || alive[0] {
		t.Fatalf("the ended session is alive: %v %v", alive, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Watch after cancel: %v", err)
	}
}

// TestAgentPresence: an agent is present while one of their sessions
// lives, on any server; not once each ended, was deleted, or the agent
// was removed. One whose sessions were never indexed (stored by a server
// of before the index, in a rolling deploy) is: nothing tells otherwise.
func TestAgentPresence(t *testing.T) {
	ctx := context.Background()
	rdb := testenv.Redis(t)
	s := redisdesk.NewSessions(rdb, testenv.Prefix(t, rdb, "desk"))
	present := func(want bool, what string) {
		t.Helper()
		if got, err := s.Present(ctx, "ana"); err != nil || got != want {
			t.Fatalf("%s: present %v, %v; want %v", what, got, err, want)
		}
	}
	present(true, "sessions never indexed")
	ana := desk.Session{ID: "s1", Agent: "ana"}
	if err := s.Put(ctx, "tok1", ana, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "tok2", desk.Session{ID: "s2", Agent: "ana"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	present(true, "two sessions")
	if err := s.Delete(ctx, "tok2"); err != nil {
		t.Fatal(err)
	}
	present(true, "one left")
	time.Sleep(400 * time.Millisecond) // Redis's own clock ends the session
	present(false, "the last ended")
	if err := s.Put(ctx, "tok3", ana, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.EndAgent(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	present(false, "removed")
}

// TestAgentPresenceAfterAnUpgrade: an agent whose sessions were never
// indexed (signed in through a server of before the index) is present
// while such a session may still live, so an upgrade hands back nobody's
// open chats; once the longest sign-in has passed since the first server
// kept the index, nothing of theirs can be alive, and their chats, stuck
// with nobody, go back to the line.
func TestAgentPresenceAfterAnUpgrade(t *testing.T) {
	ctx := context.Background()
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "desk")
	const longest = 300 * time.Millisecond
	a := redisdesk.NewSessions(rdb, prefix, redisdesk.WithLongestSignIn(longest))
	b := redisdesk.NewSessions(testenv.Redis(t), prefix, redisdesk.WithLongestSignIn(longest)) // another server
	steps := []struct {
		name  string
		s     *redisdesk.Sessions
		agent string
		after time.Duration // slept before
		want  bool
	}{
		{"just upgraded", a, "ana", 0, true},
		{"on another server", b, "ana", 0, true},
		{"another agent of before", b, "beto", 0, true},
		{"the longest sign-in later", a, "ana", longest + 100*time.Millisecond, false},
		{"on the other server too", b, "beto", 0, false},
	}
	for _, s := range steps {
		time.Sleep(s.after)
		if got, err := s.s.Present(ctx, s.agent); err != nil || got != s.want {
			t.Fatalf("%s: %s present %v, %v; want %v", s.name, s.agent, got, err, s.want)
		}
	}
	// A server started later does not start the count again.
	c := redisdesk.NewSessions(testenv.Redis(t), prefix, redisdesk.WithLongestSignIn(longest))
	if got, err := c.Present(ctx, "ana"); err != nil || got {
		t.Fatalf("a server started after the longest sign-in: ana present %v, %v", got, err)
	}
	// Signed in again, indexed: present.
	if err := c.Put(ctx, "tok", desk.Session{ID: "s1", Agent: "ana"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Present(ctx, "ana"); err != nil || !got {
		t.Fatalf("ana signed in again: present %v, %v", got, err)
	}
}
