package redisstore

import (
	"io"
	"time"
)

// Option configures a Store.
type Option func(*Store)

// WithPrefix sets the prefix of every key (default "clavebot:").
func WithPrefix(p string) Option { return func(s *Store) { s.prefix = p } }

// WithLockTTL sets how long a chat lock lives if its holder never commits
// nor releases it, e.g. because the process died (default 30s). A turn
// that runs longer loses its lease, unless it holds it (Hold).
func WithLockTTL(d time.Duration) Option { return func(s *Store) { s.lockTTL = d } }

// WithMaxHold bounds how long Hold renews a lock (default 2m): a turn
// stuck past it loses its chat, which another turn may then take.
func WithMaxHold(d time.Duration) Option { return func(s *Store) { s.maxHold = d } }

// WithBackoff sets the wait between tries for a held chat lock: it starts at
// min and doubles up to max, with jitter (default 2ms to 50ms).
func WithBackoff(min, max time.Duration) Option {
	return func(s *Store) { s.minWait, s.maxWait = min, max }
}

// WithSeenTTL sets how long a handled message id is remembered, to drop a
// redelivery (default 24h).
func WithSeenTTL(d time.Duration) Option { return func(s *Store) { s.seenTTL = d } }

// WithExpiredMarkerTTL sets how long, after a chat's state idled out, the
// store still remembers that it had one, so the bot can say it starts over
// (default 24h).
func WithExpiredMarkerTTL(d time.Duration) Option { return func(s *Store) { s.markerTTL = d } }

// WithTokenSource sets where lock tokens come from (default crypto/rand).
func WithTokenSource(r io.Reader) Option { return func(s *Store) { s.tokens = r } }
