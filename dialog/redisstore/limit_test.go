package redisstore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/internal/testenv"
)

func TestLimiterRedis(t *testing.T) {
	opts := realRedis(t)
	testLimiter(t, func(t *testing.T) redis.UniversalClient {
		c := redis.NewClient(opts)
		t.Cleanup(func() { c.Close() })
		return c
	}, time.Sleep)
}

func TestLimiterEmbedded(t *testing.T) {
	e := startEmbedded(t)
	testLimiter(t, func(t *testing.T) redis.UniversalClient {
		c := e.newClient()
		t.Cleanup(func() { c.Close() })
		return c
	}, e.FastForward)
}

// testLimiter is the Limiter's contract: max uses per window, counted
// atomically across clients (replicas), each key apart, and free again
// when the window ends.
func testLimiter(t *testing.T, client func(t *testing.T) redis.UniversalClient, elapse func(time.Duration)) {
	ctx := context.Background()
	c := client(t)
	prefix := testenv.Prefix(t, c, "limit")
	replicas := []*Limiter{NewLimiter(c, prefix), NewLimiter(client(t), prefix)}
	const window = 300 * time.Millisecond

	t.Run("window", func(t *testing.T) {
		for i := 1; i <= 4; i++ {
			ok, retry, err := replicas[i%2].Allow(ctx, "w", 3, window)
			if err != nil || ok != (i <= 3) || (!ok && (retry <= 0 || retry > window)) {
				t.Fatalf("use %d: ok=%v retry=%v err=%v", i, ok, retry, err)
			}
		}
		if ok, _, _ := replicas[0].Allow(ctx, "other", 3, window); !ok {
			t.Fatal("a key counted another's uses")
		}
		elapse(window + 50*time.Millisecond)
		if ok, _, err := replicas[1].Allow(ctx, "w", 3, window); !ok || err != nil {
			t.Fatalf("after the window: ok=%v err=%v", ok, err)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for i := range 60 {
			wg.Go(func() {
				ok, _, err := replicas[i%2].Allow(ctx, "c", 10, time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					allowed.Add(1)
				}
			})
		}
		wg.Wait()
		if n := allowed.Load(); n != 10 {
			t.Fatalf("%d of 60 uses at once allowed, want 10", n)
		}
	})
}
