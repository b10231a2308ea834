package redisstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/ctxsleep"
	"github.com/clavebot/clavebot/internal/errs"
)

// The statuses acquireLua returns.
const (
	statusAcquired  = 0
	statusDuplicate = 1
	statusHeld      = 2
)

// Acquire waits for chat's lock and returns its state (nil when none). It
// returns statestore.ErrDuplicate, without the lock, when msgID was
// committed within the seen TTL (WithSeenTTL). While another turn holds
// the lock it waits its turn in the chat's queue, asking again with
// backoff, until ctx ends; the error then wraps ctx's and is Unavailable.
func (s *Store) Acquire(ctx context.Context, chat, msgID string) (statestore.Lease, []byte, error) {
	if chat == "" {
		return statestore.Lease{}, nil, errs.E(errs.Invalid, "redisstore acquire", errors.New("empty chat id"))
	}
	token, err := s.newToken()
	if err != nil {
		return statestore.Lease{}, nil, err
	}
	lease := statestore.Lease{Chat: chat, MsgID: msgID, Token: token}
	wait := s.minWait
	for {
		// flag is "expired" when acquired, "behind others" when held.
		status, state, flag, counts, err := s.tryAcquire(ctx, lease)
		switch {
		case err != nil:
			return statestore.Lease{}, nil, err
		case status == statusDuplicate:
			// A duplicate's "state" is the replies kept for its id.
			return statestore.Lease{Chat: chat, MsgID: msgID, Replies: state}, nil, statestore.ErrDuplicate
		case status == statusAcquired:
			lease.Expired, lease.Counts = flag, counts
			if state == nil && !flag {
				// A chat new to Redis, or one whose state Redis lost.
				lost, err := s.lostAt(ctx)
				if err != nil {
					s.releaseAfterError(ctx, lease)
					return statestore.Lease{}, nil, errs.E(errs.Unavailable, "redisstore acquire", err)
				}
				lease.LostAt = lost
			}
			return lease, state, nil
		case !flag:
			// Next in line: the lock is about to be free, ask again soon.
			wait = s.minWait
		default:
			// Behind others: a turn takes a few ms, so the line moves fast
			// and nobody can jump it; ask often enough not to hold it up.
			wait = min(wait, s.maxWait/5)
		}
		if err := ctxsleep.Sleep(ctx, jitter(wait)); err != nil {
			s.leaveQueue(ctx, lease)
			return statestore.Lease{}, nil, errs.E(errs.Unavailable, "redisstore acquire",
				fmt.Errorf("chat busy: %w", err))
		}
		wait = min(2*wait, s.maxWait)
	}
}

// tryAcquire runs acquireLua once.
func (s *Store) tryAcquire(ctx context.Context, l statestore.Lease) (status int64, state []byte, expired bool, counts map[string]statestore.Count, err error) {
	k := s.keys(l.Chat, l.MsgID)
	res, err := s.acquire.Run(ctx, s.client, k.list(), l.Token, millis(s.lockTTL), handledField(l.MsgID),
		s.now().UnixMilli(), millis(s.waiterTTL), oldHandledField(l.MsgID)).Slice()
	if err != nil {
		// The lock may have been taken even though the answer was lost:
		// give it back rather than block the chat for a whole lock TTL.
		s.releaseAfterError(ctx, l)
		return 0, nil, false, nil, errs.E(errs.Unavailable, "redisstore acquire", err)
	}
	return parseAcquire(res)
}

// parseAcquire reads acquireLua's {status, state, expired[, counts]}.
func parseAcquire(res []any) (status int64, state []byte, expired bool, counts map[string]statestore.Count, err error) {
	if len(res) != 3 && len(res) != 4 {
		return 0, nil, false, nil, fmt.Errorf("redisstore: acquire: unexpected reply %v", res)
	}
	status, ok1 := res[0].(int64)
	raw, ok2 := res[1].(string)
	exp, ok3 := res[2].(int64)
	if !ok1 || !ok2 || !ok3 {
		return 0, nil, false, nil, fmt.Errorf("redisstore: acquire: unexpected reply %v", res)
	}
	if raw != "" {
		state = []byte(raw)
	}
	if len(res) == 4 {
		v, ok := res[3].(string)
		if !ok {
			return 0, nil, false, nil, fmt.Errorf("redisstore: acquire: unexpected reply %v", res)
		}
		counts = decodeCounts(v)
	}
	return status, state, exp == 1, counts, nil
}

// releaseAfterError releases l and leaves the queue best-effort, even when
// ctx has ended.
func (s *Store) releaseAfterError(ctx context.Context, l statestore.Lease) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	_ = s.Release(ctx, l)
	s.leaveQueue(ctx, l)
}

// leaveQueue takes a waiter that gives up out of the chat's queue, so the
// turns behind it need not wait for its entry to time out.
func (s *Store) leaveQueue(ctx context.Context, l statestore.Lease) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	_ = s.leave.Run(ctx, s.client, s.keys(l.Chat, l.MsgID).list(), l.Token).Err()
}

// jitter returns a duration in [d/2, d): waiters that collided once do not
// collide again in lockstep. The process-wide generator is enough here, as
// nothing depends on the exact value.
func jitter(d time.Duration) time.Duration {
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half)
}
