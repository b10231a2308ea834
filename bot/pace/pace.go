// Package pace spaces the messages of every process that sends with one
// account, in Redis: a platform's limits are the account's (Telegram's 30
// messages a second are a bot token's), not one process's, and a process
// pacing itself alone sent as many times the limit as there were
// replicas. The bucket is a GCRA on Redis's clock, one round trip a
// message; a flood wait the platform asked of one process holds them all.
package pace

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Shared is the pace of one account, kept in Redis under key.
type Shared struct {
	rdb redis.UniversalClient
	key string // its two keys share a hash slot
}

// New returns the pace kept under key ("<prefix>pace:{telegram}").
func New(rdb redis.UniversalClient, key string) *Shared {
	return &Shared{rdb: rdb, key: key}
}

func (s *Shared) keys() []string { return []string{s.key + ":tat", s.key + ":hold"} }

// reserveScript reserves the next slot of a bucket of burst messages,
// one more every ARGV[1] µs (a GCRA: KEYS[1] is the theoretical arrival
// time of the next message, in µs of Redis's clock), and returns the wait
// for it, in µs, and 0. While a hold (KEYS[2]) lasts, or when the slot is
// further than ARGV[3] µs, it reserves nothing and returns how long to
// wait before asking again, in µs, and 1: slots reserved far ahead and
// then given up (a turn's wait cut short, a process gone) would push
// every process's next one further still.
var reserveScript = redis.NewScript(`
local held = redis.call('PTTL', KEYS[2])
if held > 0 then return {held * 1000, 1} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local every, burst, within = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - (burst - 1) * every - now
if wait < 0 then wait = 0 end
if wait > within then return {wait - within, 1} end
tat = tat + every
redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.floor((tat - now) / 1000) + 1000)
return {wait, 0}`)

// Reserve takes the account's next slot, one message every every with
// bursts of burst, and returns how long to wait for it. While a hold
// lasts (see Hold), or when the slot is further than within, it takes
// none, and returns with held true how long to wait before asking again.
func (s *Shared) Reserve(ctx context.Context, every time.Duration, burst int, within time.Duration) (wait time.Duration, held bool, err error) {
	r, err := reserveScript.Run(ctx, s.rdb, s.keys(), every.Microseconds(), max(burst, 1), within.Microseconds()).Int64Slice()
	if err != nil {
		return 0, false, fmt.Errorf("pace: reserve: %w", err)
	}
	return time.Duration(r[0]) * time.Microsecond, r[1] == 1, nil
}

// holdScript holds every process for ARGV[1] ms, unless a longer hold
// is in force.
var holdScript = redis.NewScript(`
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[1]) then
	redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
end
return 0`)

// Hold makes every process wait d before its next message: the
// platform's flood wait, asked of one of them, is the account's.
func (s *Shared) Hold(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if err := holdScript.Run(ctx, s.rdb, s.keys(), d.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("pace: hold: %w", err)
	}
	return nil
}
