package redisstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/errs"
)

var _ statestore.Holder = (*Store)(nil)

// renewLua: KEYS = lock; ARGV = token, lock ttl ms. Extends the lock only
// while it is still this token's: 1 when extended, 0 when not.
const renewLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`

// Hold renews l's lock every third of the lock TTL until stop, so a turn
// keeps its chat however long it runs, while the lock of a process that
// died ends within one TTL. The returned context ends (cause
// statestore.ErrLeaseLost) when the lock is another's, or when no renewal
// has been confirmed for two thirds of the TTL: the last third is the
// margin in which the turn stops before the lock may expire in Redis.
// Renewals end anyway after WithMaxHold, so a turn stuck for good does not
// keep its chat for good.
func (s *Store) Hold(ctx context.Context, l statestore.Lease) (context.Context, func()) {
	held, lost := context.WithCancelCause(ctx)
	stop := make(chan struct{})
	start := time.Now()
	// Nothing runs until the first renewal is due: most turns end within a
	// few milliseconds, long before it, and a goroutine with two timers
	// for each of them was a cost of every turn (issue 14).
	first := time.AfterFunc(s.lockTTL/3, func() { s.keep(l, start, lost, stop) })
	var once sync.Once
	return held, func() {
		once.Do(func() {
			first.Stop()
			close(stop)
		})
		lost(nil)
	}
}

// keep renews l's lock, taken at start, until stop, or until it is lost
// (then it calls lost with why). A renewal runs apart from the fence's
// timer: a Redis that hangs (the client waits its read timeout, whatever
// the context says) must not keep the turn going past the fence.
func (s *Store) keep(l statestore.Lease, start time.Time, lost context.CancelCauseFunc, stop <-chan struct{}) {
	every := s.lockTTL / 3
	tick := time.NewTimer(time.Until(start.Add(every)))
	defer tick.Stop()
	fence := time.NewTimer(time.Until(start.Add(2 * every))) // the lock is known ours until then
	defer fence.Stop()
	var (
		renewed  = make(chan renewal, 1)
		inFlight bool
		lastOK   = start
	)
	for {
		select {
		case <-stop:
			return
		case <-fence.C:
			lost(fmt.Errorf("%w: not renewed for %v", statestore.ErrLeaseLost, time.Since(lastOK).Round(time.Millisecond)))
			return
		case <-tick.C:
			if time.Since(start) > s.maxHold {
				lost(fmt.Errorf("%w: held longer than %v", statestore.ErrLeaseLost, s.maxHold))
				return
			}
			if !inFlight {
				inFlight = true
				go func(sent time.Time) {
					ours, err := s.renew(l, sent.Add(every))
					renewed <- renewal{sent, ours, err}
				}(time.Now())
			}
			tick.Reset(every / 4) // until it is answered: then every
		case r := <-renewed:
			inFlight = false
			switch {
			case r.err == nil && r.ours:
				lastOK = r.sent
				fence.Reset(time.Until(r.sent.Add(2 * every)))
				tick.Reset(time.Until(r.sent.Add(every)))
			case r.err == nil:
				lost(fmt.Errorf("%w: taken by another turn", statestore.ErrLeaseLost))
				return
			}
		}
	}
}

// renewal is the outcome of a renewal sent at sent.
type renewal struct {
	sent time.Time
	ours bool
	err  error
}

// renew extends l's lock by a TTL, asking Redis to answer by until.
func (s *Store) renew(l statestore.Lease, until time.Time) (bool, error) {
	ctx, cancel := context.WithDeadline(context.Background(), until)
	defer cancel()
	n, err := s.renewer.Run(ctx, s.client, []string{s.keys(l.Chat, l.MsgID).lock}, l.Token, millis(s.lockTTL)).Int()
	if err != nil {
		return false, errs.E(errs.Unavailable, "redisstore renew", err)
	}
	return n == 1, nil
}
