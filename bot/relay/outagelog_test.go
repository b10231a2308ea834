package relay_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/internal/testenv"
)

// syncBuffer is a log output the relay and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) count(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.b.String(), sub)
}

// With Redis down, the outbox's sweep wrote a warning every time it ran,
// every two seconds in each process: in the terminal chat (`clavebot
// chat --redis-url`), whose log shares the person's terminal, a line of
// "relay sweep … connection refused" between every two messages of the
// conversation (a resilience probe). The first failure is logged, then
// one line a minute while it lasts, and one when it ends.
func TestSweepOutageLogsOnce(t *testing.T) {
	real := testenv.Redis(t)
	prefix := testenv.Prefix(t, real, "relay")
	p := testenv.NewProxy(t, real.Options().Addr)
	rdb := redis.NewClient(&redis.Options{
		Addr: p.Addr(), DB: real.Options().DB, Username: real.Options().Username, Password: real.Options().Password,
		MaxRetries: -1, DialTimeout: 200 * time.Millisecond,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
	t.Cleanup(func() { rdb.Close() })
	out := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(out, nil))
	local := bot.NewLocal(discard)
	local.Register(&fakeChannel{name: "telegram"})
	r := relay.New(rdb, prefix, local, log)
	ctx := context.Background()
	r.Sweep(ctx)
	p.Cut(true)
	for range 10 {
		r.Sweep(ctx)
	}
	if n := out.count(`msg="relay sweep"`); n != 1 {
		t.Fatalf("%d warnings for 10 failed sweeps in a row, want 1:\n%s", n, out.b.String())
	}
	p.Restore()
	r.Sweep(ctx)
	r.Sweep(ctx)
	if n := out.count("works again"); n != 1 {
		t.Fatalf("%d lines for the end of the outage, want 1:\n%s", n, out.b.String())
	}
}
