package redisstore

import (
	"context"
	"crypto/rand"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis can lose every chat's state at once: a restart without
// persistence, a FLUSHALL, a failover to a replica that had not synced. A
// chat whose state was lost then reads as a new chat, and a person
// halfway through (a DNI, an answer, a key typed) was greeted as a
// stranger, with no word that the conversation was lost (a resilience
// probe). Nothing of the chat is left in Redis to tell, so the store
// keeps one key without a TTL, the epoch: written when first missing, it
// is gone only when Redis lost its data. A process that saw one epoch and
// finds it missing, or replaced, knows the states were lost about then,
// and writes the next epoch saying so, for the processes that never saw
// the one before (a replica started since). The time is what
// Lease.LostAt carries for a chat found without a state.
//
// The epoch is read by every readiness probe (Ping), so a process knows
// the epoch before it is lost and sees the loss within a probe's period,
// and when a chat is found without a state, at most once every
// epochEvery (a conversation's first message: it must not cost a round
// trip each). On Redis Cluster the key lives on one
// primary: only that primary's loss is seen (a primary that lost its data
// while its replica took over is not).

// epochEvery is how often the epoch is read at most.
const epochEvery = time.Second

// epoch is what this process knows of the store's epoch.
type epoch struct {
	mu      sync.Mutex
	seen    string    // the epoch last read; "" before the first read
	lostAt  time.Time // when the states were last lost; zero: never known
	checked time.Time // when the epoch was last read
}

func (s *Store) epochKey() string { return s.prefix + "epoch" }

// lostAt returns when the store last lost its states, reading the epoch
// unless it was read within epochEvery.
func (s *Store) lostAt(ctx context.Context) (time.Time, error) {
	now := s.now()
	s.ep.mu.Lock()
	fresh := !s.ep.checked.IsZero() && now.Sub(s.ep.checked) < epochEvery
	lost := s.ep.lostAt
	s.ep.mu.Unlock()
	if fresh {
		return lost, nil
	}
	return s.readEpoch(ctx, now)
}

// readEpoch reads the epoch, writing it when missing: with "lost" set
// when this process had seen one before.
func (s *Store) readEpoch(ctx context.Context, now time.Time) (time.Time, error) {
	v, err := s.client.Get(ctx, s.epochKey()).Result()
	if errors.Is(err, redis.Nil) {
		s.ep.mu.Lock()
		had := s.ep.seen != ""
		s.ep.mu.Unlock()
		v = newEpoch(now, had)
		var ok bool
		if ok, err = s.client.SetNX(ctx, s.epochKey(), v, 0).Result(); err == nil && !ok {
			v, err = s.client.Get(ctx, s.epochKey()).Result() // another process wrote it first
		}
	}
	if err != nil {
		return time.Time{}, err
	}
	id, at, lost := parseEpoch(v)
	s.ep.mu.Lock()
	defer s.ep.mu.Unlock()
	if id != s.ep.seen && (s.ep.seen != "" || lost) && at.After(s.ep.lostAt) {
		s.ep.lostAt = at
	}
	s.ep.seen, s.ep.checked = id, now
	return s.ep.lostAt, nil
}

// newEpoch is an epoch's value: "<id> <unix seconds> <1 when it follows a
// loss, else 0>".
func newEpoch(now time.Time, lost bool) string {
	flag := "0"
	if lost {
		flag = "1"
	}
	return rand.Text()[:12] + " " + strconv.FormatInt(now.Unix(), 10) + " " + flag
}

func parseEpoch(v string) (id string, at time.Time, lost bool) {
	f := strings.Fields(v)
	if len(f) != 3 {
		return v, time.Time{}, false
	}
	sec, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return f[0], time.Time{}, false
	}
	return f[0], time.Unix(sec, 0), f[2] == "1"
}
