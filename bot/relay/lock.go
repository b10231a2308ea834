package relay

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/internal/renewal"
)

// errLockLost ends a drain whose chat lock is no longer known to be its
// own: another replica may be sending the chat's messages now.
var errLockLost = errors.New("relay: the chat's lock was lost")

// renewScript extends the lock only while it is the caller's. KEYS: the
// lock; ARGV: token, ttl. Returns 1 when extended.
var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

// holdLock renews the drain's lock (taken with tok) every third of its
// TTL until release, as a turn's Hold does the chat's (internal/renewal):
// the lock is short, so that of a replica killed in the middle of a drain
// ends within seconds, and a send slower than the TTL keeps it. The
// returned context ends (cause errLockLost) once the lock is another's, or
// when no renewal has been confirmed for two thirds of the TTL: the last
// third is the margin in which the drain stops before the lock may expire
// and another replica take the chat.
func (r *Relay) holdLock(ctx context.Context, lock, tok string) (context.Context, func()) {
	o := renewal.Options{TTL: r.opt.lockTTL, Lost: errLockLost, Holder: "drain", Failed: func(err error) {
		r.log.Warn("relay lock not renewed; trying again", "err", err)
	}}
	return renewal.Hold(ctx, o, func(until time.Time) (bool, error) { return r.renewLock(lock, tok, until) })
}

// renewLock extends the lock by its TTL, asking Redis to answer by until.
func (r *Relay) renewLock(lock, tok string, until time.Time) (bool, error) {
	ctx, cancel := context.WithDeadline(context.Background(), until)
	defer cancel()
	n, err := renewScript.Run(ctx, r.rdb, []string{lock}, tok, r.opt.lockTTL.Milliseconds()).Int()
	return n == 1, err
}
