package relay

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
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
// TTL until release, as a turn's Hold does the chat's (dialog/redisstore):
// the lock is short, so that of a replica killed in the middle of a drain
// ends within seconds, and a send slower than the TTL keeps it. The
// returned context ends (cause errLockLost) once the lock is another's, or
// when no renewal has been confirmed for two thirds of the TTL: the last
// third is the margin in which the drain stops before the lock may expire
// and another replica take the chat.
func (r *Relay) holdLock(ctx context.Context, lock, tok string) (context.Context, func()) {
	held, lost := context.WithCancelCause(ctx)
	stop := make(chan struct{})
	start := time.Now()
	// Nothing runs until the first renewal is due: most drains end long
	// before it (a turn's Arrived finds nothing waiting).
	first := time.AfterFunc(r.opt.lockTTL/3, func() { r.keepLock(held, lock, tok, start, lost, stop) })
	var once sync.Once
	return held, func() {
		once.Do(func() {
			first.Stop()
			close(stop)
		})
		lost(nil)
	}
}

// keepLock renews until stop; a renewal runs apart from the fence's timer,
// so a Redis that hangs does not keep the drain going past the fence.
func (r *Relay) keepLock(ctx context.Context, lock, tok string, start time.Time, lost context.CancelCauseFunc, stop <-chan struct{}) {
	every := r.opt.lockTTL / 3
	tick := time.NewTimer(time.Until(start.Add(every)))
	defer tick.Stop()
	fence := time.NewTimer(time.Until(start.Add(2 * every))) // the lock is known ours until then
	defer fence.Stop()
	type renewal struct {
		sent time.Time
		ours bool
		err  error
	}
	renewed := make(chan renewal, 1)
	inFlight, lastOK := false, start
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-fence.C:
			lost(fmt.Errorf("%w: not renewed for %v", errLockLost, time.Since(lastOK).Round(time.Millisecond)))
			return
		case <-tick.C:
			if !inFlight {
				inFlight = true
				go func(sent time.Time) {
					ours, err := r.renewLock(lock, tok, sent.Add(every))
					renewed <- renewal{sent, ours, err}
				}(time.Now())
			}
			tick.Reset(every / 4) // until it is answered: then every
		case rn := <-renewed:
			inFlight = false
			switch {
			case rn.err == nil && rn.ours:
				lastOK = rn.sent
				fence.Reset(time.Until(rn.sent.Add(2 * every)))
				tick.Reset(time.Until(rn.sent.Add(every)))
			case rn.err == nil:
				lost(fmt.Errorf("%w: taken by another drain", errLockLost))
				return
			default:
				r.log.Warn("relay lock not renewed; trying again", "err", rn.err)
			}
		}
	}
}

// renewLock extends the lock by its TTL, asking Redis to answer by until.
func (r *Relay) renewLock(lock, tok string, until time.Time) (bool, error) {
	ctx, cancel := context.WithDeadline(context.Background(), until)
	defer cancel()
	n, err := renewScript.Run(ctx, r.rdb, []string{lock}, tok, r.opt.lockTTL.Milliseconds()).Int()
	return n == 1, err
}
