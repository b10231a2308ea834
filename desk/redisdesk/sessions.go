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
// token, so a dump of Redis does not hand out live cookies. Ends of
// sessions are announced on a channel every desk server listens to, so a
// signed-out or removed agent's open pages close on every server at once.
// It also remembers the browsers an agent signed in from (device tokens,
// hashed likewise).
type Sessions struct {
	rdb     redis.UniversalClient
	prefix  string        // prefix + "desk:"
	longest time.Duration // the longest a session not indexed may live
}

var _ desk.Revoker = (*Sessions)(nil)

// SessionsOption configures Sessions.
type SessionsOption func(*Sessions)

// WithLongestSignIn is how long, once servers index sessions, one stored
// before (not indexed) may still live: longestSignIn by default.
func WithLongestSignIn(d time.Duration) SessionsOption {
	return func(s *Sessions) { s.longest = d }
}

// longestSignIn is a sign-in's longest life, 12 h (web's SessionTTL, on
// servers of before the index too), and an hour for a rolling deploy,
// whose servers of before may still sign agents in.
const longestSignIn = 13 * time.Hour

// NewSessions returns the session store.
func NewSessions(rdb redis.UniversalClient, prefix string, opts ...SessionsOption) *Sessions {
	s := &Sessions{rdb: rdb, prefix: prefix + "desk:", longest: longestSignIn}
	for _, o := range opts {
		o(s)
	}
	return s
}

func hashed(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Sessions) key(token string) string    { return s.prefix + "session:" + hashed(token) }
func (s *Sessions) device(token string) string { return s.prefix + "device:" + hashed(token) }
func (s *Sessions) ends() string               { return s.prefix + "session-ends" }

// index is the index of agent's sessions: each session's hashed token,
// scored by when it ends (ms, Redis's clock), and a mark that the agent's
// sessions are indexed at all (kept a week after the last). Whether an
// agent is signed in anywhere is read from them: their open chats go back
// to the line when not. An agent without the mark signed in only through
// a server that kept no index (before it was kept, in a rolling deploy),
// or not for a week: present while a session stored before the index may
// still live (s.longest since the index was first asked about, see
// sinceScript), so an upgrade hands back no agent's chats; absent after,
// or their chats would stay with nobody for ever. Both keys share the
// agent's hash tag, for one script on a Cluster.
func (s *Sessions) index(agent string) []string {
	tag := "{" + agent + "}"
	return []string{s.prefix + "agent-sessions:" + tag, s.prefix + "agent-indexed:" + tag}
}

// indexedFor is how long the mark of an indexed agent outlives their last
// session: as long as a conversation lives in the queue.
const indexedFor = 7 * 24 * time.Hour

// indexScript records a session in its agent's index until it ends, and
// keeps the index as long as its last session, the mark longer. KEYS: the
// index, the mark. ARGV: hashed token, ttl ms, the mark's ttl ms.
var indexScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ends = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], string.format('%d', ends), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now))
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
redis.call('SET', KEYS[2], '1', 'PX', tonumber(last[2]) - now + tonumber(ARGV[3]))
return 0`)

// presentScript says how many sessions of the index have not ended, -1
// for an agent not indexed. KEYS: the index, the mark.
var presentScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now))
return redis.call('ZCARD', KEYS[1])`)

// sinceScript says how long ago (ms) the index was first asked about
// here: when it began to be kept, or later (a Redis emptied since kept no
// session either). KEYS: the record of that moment.
var sinceScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', KEYS[1], string.format('%d', now), 'NX')
return now - tonumber(redis.call('GET', KEYS[1]))`)

// Put stores sess under token for ttl.
func (s *Sessions) Put(ctx context.Context, token string, sess desk.Session, ttl time.Duration) error {
	b, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	if err := s.rdb.Set(ctx, s.key(token), b, ttl).Err(); err != nil {
		return errs.E(errs.Unavailable, "store session", err)
	}
	if err := indexScript.Run(ctx, s.rdb, s.index(sess.Agent), hashed(token), ttl.Milliseconds(), indexedFor.Milliseconds()).Err(); err != nil {
		return errs.E(errs.Unavailable, "store session", err)
	}
	return nil
}

// Present reports whether agent has a session that has not ended; an
// agent whose sessions are not indexed is while a session stored before
// the index may live (see index).
func (s *Sessions) Present(ctx context.Context, agent string) (bool, error) {
	n, err := presentScript.Run(ctx, s.rdb, s.index(agent)).Int()
	if err != nil {
		return false, errs.E(errs.Unavailable, "agent present", err)
	}
	if n >= 0 {
		return n > 0, nil
	}
	ago, err := sinceScript.Run(ctx, s.rdb, []string{s.prefix + "indexed-since"}).Int64()
	if err != nil {
		return false, errs.E(errs.Unavailable, "agent present", err)
	}
	return time.Duration(ago)*time.Millisecond < s.longest, nil
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

// Alive reports, for each token, whether its session still exists.
func (s *Sessions) Alive(ctx context.Context, tokens []string) ([]bool, error) {
	if len(tokens) == 0 {
		return nil, nil
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.IntCmd, len(tokens))
	for i, t := range tokens {
		cmds[i] = pipe.Exists(ctx, s.key(t))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, errs.E(errs.Unavailable, "sessions alive", err)
	}
	out := make([]bool, len(tokens))
	for i, c := range cmds {
		out[i] = c.Val() == 1
	}
	return out, nil
}

// Delete forgets the session of token, in its agent's index too.
func (s *Sessions) Delete(ctx context.Context, token string) error {
	sess, err := s.Get(ctx, token)
	if errs.Is(errs.NotFound, err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.rdb.Del(ctx, s.key(token)).Err(); err != nil {
		return errs.E(errs.Unavailable, "delete session", err)
	}
	if err := s.rdb.ZRem(ctx, s.index(sess.Agent)[0], hashed(token)).Err(); err != nil {
		return errs.E(errs.Unavailable, "delete session", err)
	}
	return nil
}

// End deletes the session of token and tells every desk server, whose
// pages of that session close.
func (s *Sessions) End(ctx context.Context, token string, sess desk.Session) error {
	if err := s.Delete(ctx, token); err != nil {
		return err
	}
	return s.announce(ctx, desk.SessionEnd{Session: sess.ID})
}

// EndAgent implements desk.Revoker: every desk server closes the agent's
// pages. Their sessions need no deleting: each request checks the account.
// The agent is no longer present anywhere.
func (s *Sessions) EndAgent(ctx context.Context, name string) error {
	if err := s.rdb.Del(ctx, s.index(name)[0]).Err(); err != nil {
		return errs.E(errs.Unavailable, "end agent", err)
	}
	return s.announce(ctx, desk.SessionEnd{Agent: name})
}

func (s *Sessions) announce(ctx context.Context, e desk.SessionEnd) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := s.rdb.Publish(ctx, s.ends(), b).Err(); err != nil {
		return errs.E(errs.Unavailable, "announce session end", err)
	}
	return nil
}

// Watch calls f with every end of sessions, announced by any process,
// until ctx ends. It returns nil when ctx ends, an error when the
// subscription breaks (the caller subscribes again).
func (s *Sessions) Watch(ctx context.Context, f func(desk.SessionEnd)) error {
	sub := s.rdb.Subscribe(ctx, s.ends())
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("redisdesk: subscribe to session ends: %w", err)
	}
	ch := sub.Channel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-ch:
			if !ok {
				return errors.New("redisdesk: session ends: subscription closed")
			}
			var e desk.SessionEnd
			if json.Unmarshal([]byte(m.Payload), &e) == nil {
				f(e)
			}
		}
	}
}

// RememberDevice records that the browser holding token signed in as
// agent, for ttl.
func (s *Sessions) RememberDevice(ctx context.Context, token, agent string, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.device(token), agent, ttl).Err(); err != nil {
		return errs.E(errs.Unavailable, "remember device", err)
	}
	return nil
}

// DeviceAgent is the agent the browser holding token signed in as; ""
// when none.
func (s *Sessions) DeviceAgent(ctx context.Context, token string) (string, error) {
	name, err := s.rdb.Get(ctx, s.device(token)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", errs.E(errs.Unavailable, "device", err)
	}
	return name, nil
}

// Limiter counts failed sign-in attempts per key with a progressive delay
// (desk.Backoff). Each operation is one script on one key: atomic across
// processes, and Cluster-safe.
type Limiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewLimiter returns a Limiter keeping its counters under prefix.
func NewLimiter(rdb redis.UniversalClient, prefix string) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix + "desk:limit:"}
}

// backoffScript keeps n (attempts counted) and last (when the last one
// was, ms) in a hash. ARGV: now ms, free, base ms, max ms, window ms, mode.
// mode "reserve" counts the attempt when it may come now and returns 0,
// else returns the ms left to wait; "peek" only returns the wait; "count"
// counts the attempt whatever the wait.
var backoffScript = redis.NewScript(`
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local now, free, base, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local wait = 0
if n >= free then
  wait = base * 2 ^ math.min(n - free, 40)
  if wait > max then wait = max end
  wait = math.max(0, math.floor(last + wait - now))
end
if ARGV[6] == 'peek' or (ARGV[6] == 'reserve' and wait > 0) then return wait end
redis.call('HSET', KEYS[1], 'n', n + 1, 'last', now)
if n == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
return 0`)

// refundScript uncounts one attempt. ARGV: none.
var refundScript = redis.NewScript(`
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n > 0 then redis.call('HSET', KEYS[1], 'n', n - 1) end
return 0`)

func (l *Limiter) run(ctx context.Context, key string, b desk.Backoff, now time.Time, mode string) (time.Duration, error) {
	ms, err := backoffScript.Run(ctx, l.rdb, []string{l.prefix + key},
		now.UnixMilli(), b.Free, b.Base.Milliseconds(), b.Max.Milliseconds(), b.Window.Milliseconds(), mode).Int64()
	if err != nil {
		return 0, errs.E(errs.Unavailable, "sign-in limit", err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Reserve counts an attempt under key if it may come at now, and returns
// 0; otherwise it counts nothing and returns how long to wait. Reserving
// before the password is checked keeps concurrent attempts from all
// slipping in before the first failure is counted.
func (l *Limiter) Reserve(ctx context.Context, key string, b desk.Backoff, now time.Time) (time.Duration, error) {
	return l.run(ctx, key, b, now, "reserve")
}

// Peek returns how long an attempt under key must still wait at now.
func (l *Limiter) Peek(ctx context.Context, key string, b desk.Backoff, now time.Time) (time.Duration, error) {
	return l.run(ctx, key, b, now, "peek")
}

// Count counts a failed attempt under key.
func (l *Limiter) Count(ctx context.Context, key string, b desk.Backoff, now time.Time) error {
	_, err := l.run(ctx, key, b, now, "count")
	return err
}

// Refund uncounts one attempt under key (one that succeeded).
func (l *Limiter) Refund(ctx context.Context, key string) error {
	if err := refundScript.Run(ctx, l.rdb, []string{l.prefix + key}).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return errs.E(errs.Unavailable, "sign-in limit", err)
	}
	return nil
}

// Reset forgets key's attempts (after a successful sign-in).
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if err := l.rdb.Del(ctx, l.prefix+key).Err(); err != nil {
		return errs.E(errs.Unavailable, "sign-in limit", err)
	}
	return nil
}
