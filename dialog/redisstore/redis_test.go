package redisstore

import (
	"github.com/clavebot/clavebot/internal/testenv"

	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// realRedis returns the options of the test Redis server; each simulated
// process makes its own client from them.
func realRedis(tb testing.TB) *redis.Options {
	tb.Helper()
	testenv.Redis(tb)
	opts, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		tb.Fatal(err)
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
