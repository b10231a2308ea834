package redisstore

import (
	"github.com/clavebot/clavebot/internal/ctxsleep"
	"github.com/clavebot/clavebot/internal/errs"

	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func startEmbedded(t *testing.T) *Embedded {
	t.Helper()
	e, err := StartEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func TestEmbeddedStore(t *testing.T) {
	e := startEmbedded(t)
	testStateStore(t, harness{
		client: func(t *testing.T) redis.UniversalClient {
			c := e.newClient()
			t.Cleanup(func() { c.Close() })
			return c
		},
		elapse: func(d time.Duration, clock *testClock) {
			e.FastForward(d)
			clock.add(d)
		},
	})
}

// TestEmbeddedClockRuns checks that keys expire without anyone calling
// FastForward, as they would on a real Redis.
func TestEmbeddedClockRuns(t *testing.T) {
	e := startEmbedded(t)
	ctx := testContext(t)
	if err := e.Client().Set(ctx, "k", "v", 100*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := e.Client().Exists(ctx, "k").Result()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if err := ctxsleep.Sleep(ctx, 50*time.Millisecond); err != nil {
			t.Fatal("key never expired:", err)
		}
	}
}

func TestEmbeddedClose(t *testing.T) {
	e := startEmbedded(t)
	s := New(e.Client())
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := s.Ping(context.Background()); !errs.Is(errs.Unavailable, err) {
		t.Errorf("Ping after Close: %v, want Unavailable", err)
	}
}
