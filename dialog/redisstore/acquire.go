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
	return s.acquireCounting(ctx, chat, msgID, limits{})
}

// AcquireNew is Acquire that counts its limits in the same script (see
// statestore.NewCounter), on one Redis or a Sentinel's primary. On Redis
// Cluster the limits' keys are in other slots than the chat's, which one
// script cannot touch: the lease says they were not counted, and the
// caller counts them in round trips of their own.
func (s *Store) AcquireNew(ctx context.Context, chat, msgID string, newChat, armed statestore.Limit) (statestore.Lease, []byte, error) {
	if _, cluster := s.client.(*redis.ClusterClient); cluster {
		return s.acquireCounting(ctx, chat, msgID, limits{})
	}
	return s.acquireCounting(ctx, chat, msgID, limits{newChat, armed})
}

// limits are AcquireNew's; a Limit without a key is not counted.
type limits struct{ newChat, armed statestore.Limit }

func (l limits) none() bool { return l.newChat.Key == "" && l.armed.Key == "" }

// acquireCounting is Acquire, counting lims.
func (s *Store) acquireCounting(ctx context.Context, chat, msgID string, lims limits) (statestore.Lease, []byte, error) {
	if chat == "" {
		return statestore.Lease{}, nil, errs.E(errs.Invalid, "redisstore acquire", errors.New("empty chat id"))
	}
	token, err := s.newToken()
	if err != nil {
		return statestore.Lease{}, nil, err
	}
	lease := statestore.Lease{Chat: chat, MsgID: msgID, Token: token}
	wait := s.minWait
	waited := false // another turn held the chat when asked
	for {
		r, err := s.tryAcquire(ctx, lease, lims)
		switch {
		case err != nil && waited && ctx.Err() != nil:
			// The turn's time ended while it asked again for a chat held
			// all along: the chat was busy, Redis was answering.
			s.leaveQueue(ctx, lease)
			return statestore.Lease{}, nil, errs.E(errs.Unavailable, "redisstore acquire",
				fmt.Errorf("%w: %w", statestore.ErrChatBusy, err))
		case err != nil:
			return statestore.Lease{}, nil, err
		case r.status == statusDuplicate:
			// A duplicate's "state" is the replies kept for its id.
			return statestore.Lease{Chat: chat, MsgID: msgID, Replies: r.state}, nil, statestore.ErrDuplicate
		case r.status == statusAcquired && r.verdict.Refused:
			// The script gave the lock back: nothing of the chat is kept.
			return statestore.Lease{Chat: chat, MsgID: msgID, New: r.verdict}, nil, nil
		case r.status == statusAcquired:
			lease.Expired, lease.Counts, lease.New, lease.Armed = r.flag, r.counts, r.verdict, r.armed
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
		waited = true
		if err := ctxsleep.Sleep(ctx, jitter(wait)); err != nil {
			s.leaveQueue(ctx, lease)
			return statestore.Lease{}, nil, errs.E(errs.Unavailable, "redisstore acquire",
				fmt.Errorf("%w: %w", statestore.ErrChatBusy, err))
		}
		wait = min(2*wait, s.maxWait)
	}
}

// acquired is what acquireLua answered.
type acquired struct {
	status int64
	state  []byte
	// flag is "expired" when acquired, "behind others" when held.
	flag   bool
	counts map[string]statestore.Count
	// verdict is the new chats' limit's, armed the armed limit's.
	verdict, armed statestore.Verdict
}

// tryAcquire runs acquireLua once, counting lims.
func (s *Store) tryAcquire(ctx context.Context, l statestore.Lease, lims limits) (acquired, error) {
	keys := s.keys(l.Chat, l.MsgID).list()
	args := []any{l.Token, millis(s.lockTTL), handledField(l.MsgID), s.now().UnixMilli(), millis(s.waiterTTL),
		oldHandledField(l.MsgID)}
	if !lims.none() {
		// A limit without a key names a key the script does not touch.
		keys = append(keys, s.limitKey(lims.newChat.Key), s.limitKey(lims.armed.Key))
		args = append(args, limitArgs(lims.newChat)...)
		args = append(args, limitArgs(lims.armed)...)
	}
	res, err := s.acquire.Run(ctx, s.client, keys, args...).Slice()
	if err != nil {
		// The lock may have been taken even though the answer was lost:
		// give it back rather than block the chat for a whole lock TTL.
		s.releaseAfterError(ctx, l)
		return acquired{}, errs.E(errs.Unavailable, "redisstore acquire", err)
	}
	r, err := parseAcquire(res)
	if err != nil {
		return acquired{}, err
	}
	r.verdict = verdict(lims.newChat, r.newN, r.newTTL)
	r.armed = verdict(lims.armed, r.armedN, r.armedTTL)
	return r.acquired, nil
}

// limitKey is the counter of a limit's key, the Limiter's own (so that a
// process counting with the Limiter, on Cluster or of the previous
// version, counts against the same limit).
func (s *Store) limitKey(key string) string { return s.prefix + "limit:" + key }

// limitArgs are acquireLua's arguments of lim: its max ("": none) and
// window in ms.
func limitArgs(lim statestore.Limit) []any {
	if lim.Key == "" {
		return []any{"", 0}
	}
	return []any{strconv.Itoa(lim.Max), millis(lim.Window)}
}

// verdict is lim's verdict from the count n acquireLua made (-1: none)
// and the ms left in its window.
func verdict(lim statestore.Limit, n, ttl int64) statestore.Verdict {
	if n < 0 || lim.Key == "" {
		return statestore.Verdict{}
	}
	v := statestore.Verdict{Key: lim.Key, Counted: true, Refused: n > int64(lim.Max)}
	if v.Refused {
		v.Retry = time.Duration(ttl) * time.Millisecond
	}
	return v
}

// acquireReply is acquireLua's reply read: what was acquired, and the
// limits' counts and ms left (-1 when not counted).
type acquireReply struct {
	acquired
	newN, newTTL, armedN, armedTTL int64
}

// parseAcquire reads acquireLua's {status, state, expired[, counts[, new
// n, new ttl, armed n, armed ttl]]}.
func parseAcquire(res []any) (acquireReply, error) {
	// Formatted only when the reply is bad: formatting it, state and all,
	// on every turn cost more than reading it.
	bad := func() error { return fmt.Errorf("redisstore: acquire: unexpected reply %v", res) }
	if len(res) != 3 && len(res) != 4 && len(res) != 8 {
		return acquireReply{}, bad()
	}
	status, ok1 := res[0].(int64)
	raw, ok2 := res[1].(string)
	exp, ok3 := res[2].(int64)
	if !ok1 || !ok2 || !ok3 {
		return acquireReply{}, bad()
	}
	r := acquireReply{acquired: acquired{status: status, flag: exp == 1}, newN: -1, armedN: -1}
	if raw != "" {
		r.state = []byte(raw)
	}
	if len(res) >= 4 {
		v, ok := res[3].(string)
		if !ok {
			return acquireReply{}, bad()
		}
		r.counts = decodeCounts(v)
	}
	if len(res) == 8 {
		var ok [4]bool
		r.newN, ok[0] = res[4].(int64)
		r.newTTL, ok[1] = res[5].(int64)
		r.armedN, ok[2] = res[6].(int64)
		r.armedTTL, ok[3] = res[7].(int64)
		if ok != [4]bool{true, true, true, true} {
			return acquireReply{}, bad()
		}
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
