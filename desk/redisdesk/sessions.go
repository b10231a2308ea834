package redisdesk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
)

// Sessions keeps agents' sessions in Redis under the SHA-256 of their
// token, so a dump of Redis does not hand out live cookies.
type Sessions struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewSessions returns the session store.
func NewSessions(rdb redis.UniversalClient, prefix string) *Sessions {
	return &Sessions{rdb: rdb, prefix: prefix + "desk:session:"}
}

func (s *Sessions) key(token string) string {
	sum := sha256.Sum256([]byte(token))
	return s.prefix + hex.EncodeToString(sum[:])
}

// Put stores sess under token for ttl.
func (s *Sessions) Put(ctx context.Context, token string, sess desk.Session, ttl time.Duration) error {
	b, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	if err := s.rdb.Set(ctx, s.key(token), b, ttl).Err(); err != nil {
		return errs.E(errs.Unavailable, "store session", err)
	}
	return nil
}

// Get returns the session of token; NotFound when none or expired.
func (s *Sessions) Get(ctx context.Context, token string) (desk.Session, error) {
	raw, err := s.rdb.Get(ctx, s.key(token)).Bytes()
	if errors.Is(err, redis.Nil) {
		return desk.Session{}, errs.E(errs.NotFound, "session", errors.New("no such session"))
	}
	if err != nil {
		return desk.Session{}, errs.E(errs.Unavailable, "session", err)
	}
	var sess desk.Session
	if err := json.Unmarshal(raw, &sess); err != nil {
		return desk.Session{}, fmt.Errorf("redisdesk: decode session: %w", err)
	}
	return sess, nil
}

// Delete ends the session of token.
func (s *Sessions) Delete(ctx context.Context, token string) error {
	return s.rdb.Del(ctx, s.key(token)).Err()
}

// Limiter counts attempts per key in fixed windows.
type Limiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewLimiter returns a Limiter keeping its counters under prefix.
func NewLimiter(rdb redis.UniversalClient, prefix string) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix + "desk:limit:"}
}

// hit counts one attempt and returns the window's count.
var hit = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`)

// Allow counts an attempt for key and reports whether it is within limit
// for the current window.
func (l *Limiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	n, err := hit.Run(ctx, l.rdb, []string{l.prefix + key}, window.Milliseconds()).Int()
	if err != nil {
		return false, errs.E(errs.Unavailable, "rate limit", err)
	}
	return n <= limit, nil
}

// Reset forgets key's attempts (after a successful sign-in).
func (l *Limiter) Reset(ctx context.Context, key string) error {
	return l.rdb.Del(ctx, l.prefix+key).Err()
}
