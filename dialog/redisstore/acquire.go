package redisstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

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
	return s.acquireCounting(ctx, chat, msgID, nil)
}

// AcquireNew is Acquire that counts lim when the chat is new, in the same
// script (see statestore.NewCounter), on one Redis or a Sentinel's
// primary. On Redis Cluster the limit's key is in another slot than the
// chat's, which one script cannot touch: the lease says it was not
// counted, and the caller counts it in a round trip of its own.
func (s *Store) AcquireNew(ctx context.Context, chat, msgID string, lim statestore.Limit) (statestore.Lease, []byte, error) {
	if _, cluster := s.client.(*redis.ClusterClient); cluster {
		return s.acquireCounting(ctx, chat, msgID, nil)
	}
	return s.acquireCounting(ctx, chat, msgID, &lim)
}

// acquireCounting is Acquire, counting lim (when not nil) if the chat is
// new.
func (s *Store) acquireCounting(ctx context.Context, chat, msgID string, lim *statestore.Limit) (statestore.Lease, []byte, error) {
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
		r, err := s.tryAcquire(ctx, lease, lim)
		switch {
		case err != nil:
			return statestore.Lease{}, nil, err
		case r.status == statusDuplicate:
			// A duplicate's "state" is the replies kept for its id.
			return statestore.Lease{Chat: chat, MsgID: msgID, Replies: r.state}, nil, statestore.ErrDuplicate
		case r.status == statusAcquired && r.verdict.Refused:
			// The script gave the lock back: nothing of the chat is kept.
			return statestore.Lease{Chat: chat, MsgID: msgID, New: r.verdict}, nil, nil
		case r.status == statusAcquired:
			lease.Expired, lease.Counts, lease.New = r.flag, r.counts, r.verdict
			if r.state == nil && !r.flag {
				// A chat new to Redis, or one whose state Redis lost.
				lost, err := s.lostAt(ctx)
				if err != nil {
					s.releaseAfterError(ctx, lease)
					return statestore.Lease{}, nil, errs.E(errs.Unavailable, "redisstore acquire", err)
				}
				lease.LostAt = lost
			}
			return lease, r.state, nil
		case !r.flag:
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

// acquired is what acquireLua answered.
type acquired struct {
	status int64
	state  []byte
	// flag is "expired" when acquired, "behind others" when held.
	flag    bool
	counts  map[string]statestore.Count
	verdict statestore.Verdict
}

// tryAcquire runs acquireLua once, counting lim (when not nil) if the
// chat is new.
func (s *Store) tryAcquire(ctx context.Context, l statestore.Lease, lim *statestore.Limit) (acquired, error) {
	keys := s.keys(l.Chat, l.MsgID).list()
	max, window := "", int64(0)
	if lim != nil {
		keys = append(keys, s.prefix+"limit:"+lim.Key) // as Limiter names it
		max, window = strconv.Itoa(lim.Max), millis(lim.Window)
	}
	res, err := s.acquire.Run(ctx, s.client, keys, l.Token, millis(s.lockTTL), handledField(l.MsgID),
		s.now().UnixMilli(), millis(s.waiterTTL), oldHandledField(l.MsgID), max, window).Slice()
	if err != nil {
		// The lock may have been taken even though the answer was lost:
		// give it back rather than block the chat for a whole lock TTL.
		s.releaseAfterError(ctx, l)
		return acquired{}, errs.E(errs.Unavailable, "redisstore acquire", err)
	}
	r, err := parseAcquire(res)
	if err == nil && lim != nil && r.verdict.Counted {
		r.verdict.Refused = r.n > int64(lim.Max)
		if r.verdict.Refused {
			r.verdict.Retry = time.Duration(r.ttl) * time.Millisecond
		}
	}
	return r.acquired, err
}

// acquireReply is acquireLua's reply read: what was acquired, and the
// limit's count and ms left when it counted one.
type acquireReply struct {
	acquired
	n, ttl int64
}

// parseAcquire reads acquireLua's {status, state, expired[, counts[, n,
// ttl]]}.
func parseAcquire(res []any) (acquireReply, error) {
	bad := fmt.Errorf("redisstore: acquire: unexpected reply %v", res)
	if len(res) < 3 || len(res) > 6 || len(res) == 5 {
		return acquireReply{}, bad
	}
	status, ok1 := res[0].(int64)
	raw, ok2 := res[1].(string)
	exp, ok3 := res[2].(int64)
	if !ok1 || !ok2 || !ok3 {
		return acquireReply{}, bad
	}
	r := acquireReply{acquired: acquired{status: status, flag: exp == 1}}
	if raw != "" {
		r.state = []byte(raw)
	}
	if len(res) >= 4 {
		v, ok := res[3].(string)
		if !ok {
			return acquireReply{}, bad
		}
		r.counts = decodeCounts(v)
	}
	if len(res) == 6 {
		n, ok1 := res[4].(int64)
		ttl, ok2 := res[5].(int64)
		if !ok1 || !ok2 {
			return acquireReply{}, bad
		}
		r.n, r.ttl, r.verdict.Counted = n, ttl, true
	}
	return r, nil
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
