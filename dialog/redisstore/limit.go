package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/internal/errs"
)

// Limiter is a dialog.Limiter on Redis: a fixed-window counter per key,
// counted and given its window in one script, so every replica sharing the
// Redis counts against the same limit. Each counter is one key, which
// works on Redis Cluster.
type Limiter struct {
	client redis.UniversalClient
	prefix string
	count  *redis.Script
}

// NewLimiter returns a Limiter whose keys start with prefix + "limit:".
func NewLimiter(client redis.UniversalClient, prefix string) *Limiter {
	return &Limiter{client: client, prefix: prefix + "limit:", count: redis.NewScript(limitLua)}
}

// Key is the Redis key of the counter the Limiter keeps for name (an
// Allow's key).
func (l *Limiter) Key(name string) string { return l.prefix + name }

// limitLua: KEYS = the counter; ARGV = window ms. Returns {count, ms left
// in the window}. A counter left without a TTL (it cannot be, but a
// restored dump could) gets one, so no limit lasts forever.
const limitLua = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`

// Allow implements dialog.Limiter.
func (l *Limiter) Allow(ctx context.Context, key string, max int, window time.Duration) (bool, time.Duration, error) {
	res, err := l.count.Run(ctx, l.client, []string{l.prefix + key}, millis(window)).Int64Slice()
	if err != nil {
		return false, 0, errs.E(errs.Unavailable, "redisstore limit", err)
	}
	if len(res) != 2 {
		return false, 0, errs.E(errs.Unavailable, "redisstore limit", fmt.Errorf("unexpected reply %v", res))
	}
	if res[0] <= int64(max) {
		return true, 0, nil
	}
	return false, time.Duration(res[1]) * time.Millisecond, nil
}
