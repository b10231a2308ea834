package remind

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// sink is an outbox: it keeps one delivery per key, and can be down.
type sink struct {
	mu   sync.Mutex
	got  []string
	keys map[string]bool
	down bool
}

func (s *sink) Deliver(_ context.Context, chat, key string, rs []convo.Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return errors.New("redis: connection refused")
	}
	if s.keys == nil {
		s.keys = map[string]bool{}
	}
	if s.keys[key] {
		return nil
	}
	s.keys[key] = true
	for _, r := range rs {
		s.got = append(s.got, chat+" "+string(r.Msg.Key))
	}
	return nil
}

func TestRemindersAreHandedOverOnceWhenDue(t *testing.T) {
	rdb := testenv.Redis(t)
	ctx := context.Background()
	prefix := testenv.Prefix(t, rdb, "remind")
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	log := slog.New(slog.DiscardHandler)
	a, b := New(rdb, prefix, log, WithClock(clock)), New(rdb, prefix, log, WithClock(clock))
	if err := a.Remind(ctx, "telegram:7", now.Add(4*time.Hour), i18n.M("reminder.try_again")); err != nil {
		t.Fatal(err)
	}
	out := &sink{}
	if err := a.Due(ctx, "telegram", out); err != nil || len(out.got) != 0 {
		t.Fatalf("before the time: %v, delivered %v", err, out.got)
	}
	mu.Lock()
	now = now.Add(4*time.Hour + time.Second)
	mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range []*Scheduler{a, b, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); s.Due(ctx, "telegram", out) }()
	}
	wg.Wait()
	if len(out.got) != 1 || out.got[0] != "telegram:7 reminder.try_again" {
		t.Fatalf("delivered %v, want exactly one reminder", out.got)
	}
	if n, _ := rdb.ZCard(ctx, prefix+"reminders:telegram").Result(); n != 0 {
		t.Fatalf("%d reminders left after hand-over", n)
	}
	if err := a.Remind(ctx, "nochannel", now, i18n.M("x")); err == nil {
		t.Fatal("a chat without channel prefix was accepted")
	}
}

func TestReminderSurvivesAFailedHandOver(t *testing.T) {
	rdb := testenv.Redis(t)
	ctx := context.Background()
	prefix := testenv.Prefix(t, rdb, "remind")
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	s := New(rdb, prefix, slog.New(slog.DiscardHandler), WithClock(func() time.Time { return now }))
	if err := s.Remind(ctx, "whatsapp:9", now, i18n.M("reminder.try_again")); err != nil {
		t.Fatal(err)
	}
	out := &sink{down: true}
	if err := s.Due(ctx, "whatsapp", out); err != nil {
		t.Fatal(err)
	}
	if n, _ := rdb.ZCard(ctx, prefix+"reminders:whatsapp").Result(); n != 1 {
		t.Fatalf("a reminder the outbox could not take was removed (%d left)", n)
	}
	out.down = false
	now = now.Add(time.Minute) // still claimed by the failed try
	s.Due(ctx, "whatsapp", out)
	if len(out.got) != 0 {
		t.Fatalf("handed over while still claimed: %v", out.got)
	}
	now = now.Add(2 * time.Minute)
	s.Due(ctx, "whatsapp", out)
	if len(out.got) != 1 {
		t.Fatalf("after the claim expired: %v, want the reminder", out.got)
	}
}

// holding holds the chats it names.
type holding map[string]bool

func (h holding) Holds(_ context.Context, chat string) (bool, error) { return h[chat], nil }

// TestReminderWaitsWhileTheChatIsWithTheDesk: a lockout's reminder
// reached a person talking with an agent, and its "escribí «menú»" ended
// that conversation (found by a probe). It waits until the chat leaves the
// desk, then goes.
func TestReminderWaitsWhileTheChatIsWithTheDesk(t *testing.T) {
	rdb := testenv.Redis(t)
	ctx := context.Background()
	prefix := testenv.Prefix(t, rdb, "remind")
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	held := holding{"rest:5": true}
	s := New(rdb, prefix, slog.New(slog.DiscardHandler), WithClock(func() time.Time { return now }), WithHold(held))
	if err := s.Remind(ctx, "rest:5", now, i18n.M("reminder.try_again")); err != nil {
		t.Fatal(err)
	}
	out := &sink{}
	if err := s.Due(ctx, "rest", out); err != nil || len(out.got) != 0 {
		t.Fatalf("with the desk: %v, delivered %v", err, out.got)
	}
	held["rest:5"] = false
	now = now.Add(3 * time.Minute) // past the lease
	if err := s.Due(ctx, "rest", out); err != nil || len(out.got) != 1 {
		t.Fatalf("after the desk: %v, delivered %v", err, out.got)
	}
}
