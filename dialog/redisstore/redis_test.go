package redisstore

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// realRedis returns the options of the test Redis server, skipping the test
// (failing it on CI) when the server cannot be reached.
func realRedis(tb testing.TB) *redis.Options {
	tb.Helper()
	url := os.Getenv("CLAVEBOT_TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("CLAVEBOT_TEST_REDIS_URL: %v", err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("redis at %s: %v", url, err)
		}
		tb.Skipf("redis at %s unreachable: %v", url, err)
	}
	return opts
}

func TestRedisStore(t *testing.T) {
	opts := realRedis(t)
	testStateStore(t, harness{
		client: func(t *testing.T) redis.UniversalClient {
			c := redis.NewClient(opts)
			t.Cleanup(func() { c.Close() })
			return c
		},
		elapse: time.Sleep,
	})
}
