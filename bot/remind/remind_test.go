package remind

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

type sink struct {
	mu  sync.Mutex
	got []string
}

func (s *sink) Deliver(_ context.Context, chat string, rs []dialog.Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rs {
		s.got = append(s.got, chat+" "+string(r.Msg.Key))
	}
	return nil
}

func TestRemindersAreDeliveredOnceWhenDue(t *testing.T) {
	rdb := testenv.Redis(t)
	ctx := context.Background()
	prefix := fmt.Sprintf("test:remind:%d:", time.Now().UnixNano())
	t.Cleanup(func() { rdb.Del(ctx, prefix+"reminders:telegram") })
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	log := slog.New(slog.DiscardHandler)
	a, b := New(rdb, prefix, clock, log), New(rdb, prefix, clock, log)
	if err := a.Remind(ctx, "telegram:7", now.Add(4*time.Hour), i18n.M("reminder.try_again")); err != nil {
		t.Fatal(err)
	}
	out := &sink{}
	if err := a.Due(ctx, "telegram", out); err != nil || len(out.got) != 0 {
		t.Fatalf("before the time: %v, delivered %v", err, out.got)
	}
	now = now.Add(4*time.Hour + time.Second)
	var wg sync.WaitGroup
	for _, s := range []*Scheduler{a, b, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); s.Due(ctx, "telegram", out) }()
	}
	wg.Wait()
	if len(out.got) != 1 || out.got[0] != "telegram:7 reminder.try_again" {
		t.Fatalf("delivered %v, want exactly one reminder", out.got)
	}
	if err := a.Remind(ctx, "nochannel", now, i18n.M("x")); err == nil {
		t.Fatal("a chat without channel prefix was accepted")
	}
}
