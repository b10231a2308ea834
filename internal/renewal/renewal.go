// Package renewal keeps a lock in Redis (or anywhere) renewed while work
// runs under it: a chat's turn (dialog/redisstore's Hold), a chat's drain
// (bot/relay). The lock is short, so that of a process that died ends
// within seconds, and work slower than its TTL keeps it. The two kept the
// same loop, copied; it lives here once.
package renewal

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Renew extends the lock by its TTL when it is still the holder's (ours),
// answering by until.
type Renew func(until time.Time) (ours bool, err error)

// Options say how a lock is kept.
type Options struct {
	// TTL is the lock's: it is renewed every third of it.
	TTL time.Duration
	// Lost is the cause the returned context ends with (wrapped, with why).
	Lost error
	// Holder names what holds the lock in Lost's message ("turn", "drain").
	Holder string
	// MaxHold, when set, ends renewals after that long, so work stuck for
	// good does not keep the lock for good.
	MaxHold time.Duration
	// Failed, when set, hears a renewal that failed (it is tried again
	// until the fence).
	Failed func(error)
}

// Hold renews the lock taken at the call every third of o.TTL until the
// returned release is called. The returned context ends (cause wrapping
// o.Lost) once the lock is another's, or when no renewal has been
// confirmed for two thirds of the TTL: the last third is the margin in
// which the work stops before the lock may expire and another take it.
// Nothing runs until the first renewal is due: most work ends long before
// it, and a goroutine with two timers for each was a cost of every turn
// (issue 14).
func Hold(ctx context.Context, o Options, renew Renew) (context.Context, func()) {
	held, lost := context.WithCancelCause(ctx)
	stop := make(chan struct{})
	start := time.Now()
	first := time.AfterFunc(o.TTL/3, func() { keep(o, renew, start, lost, stop) })
	var once sync.Once
	return held, func() {
		once.Do(func() {
			first.Stop()
			close(stop)
		})
		lost(nil)
	}
}

// renewed is the outcome of a renewal sent at sent.
type renewed struct {
	sent time.Time
	ours bool
	err  error
}

// keep renews until stop, or until the lock is lost (then it calls lost
// with why). A renewal runs apart from the fence's timer: a Redis that
// hangs (the client waits its read timeout, whatever the context says)
// must not keep the work going past the fence. The caller's context
// ending does not stop it: work may still write under the lock after it
// (a turn that stored a key saves its state with time of its own).
func keep(o Options, renew Renew, start time.Time, lost context.CancelCauseFunc, stop <-chan struct{}) {
	every := o.TTL / 3
	tick := time.NewTimer(time.Until(start.Add(every)))
	defer tick.Stop()
	fence := time.NewTimer(time.Until(start.Add(2 * every))) // the lock is known ours until then
	defer fence.Stop()
	var (
		answers  = make(chan renewed, 1)
		inFlight bool
		lastOK   = start
	)
	for {
		select {
		case <-stop:
			return
		case <-fence.C:
			lost(fmt.Errorf("%w: not renewed for %v", o.Lost, time.Since(lastOK).Round(time.Millisecond)))
			return
		case <-tick.C:
			if o.MaxHold > 0 && time.Since(start) > o.MaxHold {
				lost(fmt.Errorf("%w: held longer than %v", o.Lost, o.MaxHold))
				return
			}
			if !inFlight {
				inFlight = true
				go func(sent time.Time) {
					ours, err := renew(sent.Add(every))
					answers <- renewed{sent, ours, err}
				}(time.Now())
			}
			tick.Reset(every / 4) // until it is answered: then every
		case r := <-answers:
			inFlight = false
			switch {
			case r.err == nil && r.ours:
				lastOK = r.sent
				fence.Reset(time.Until(r.sent.Add(2 * every)))
				tick.Reset(time.Until(r.sent.Add(every)))
			case r.err == nil:
				lost(fmt.Errorf("%w: taken by another %s", o.Lost, o.Holder))
				return
			case o.Failed != nil:
				o.Failed(r.err)
			}
		}
	}
}
