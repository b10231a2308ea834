// Package redisstore keeps the dialog engine's chat state and transcript in
// Redis and serializes each chat's turns with a lock there, so several
// processes can share one Redis. Each operation is one Lua script, one
// round trip; all the keys of a chat share the hash tag {chat}, so it also
// runs on Redis Cluster.
package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog/statestore"
)

var (
	_ statestore.Store      = (*Store)(nil)
	_ statestore.NewCounter = (*Store)(nil)
)

// Store is a statestore.Store on Redis. It is safe for concurrent use.
type Store struct {
	client    redis.UniversalClient
	prefix    string
	lockTTL   time.Duration
	minWait   time.Duration
	maxWait   time.Duration
	seenTTL   time.Duration
	markerTTL time.Duration
	tokens    io.Reader
	acquire   *redis.Script
	commit    *redis.Script
	release   *redis.Script
	leave     *redis.Script
	renewer   *redis.Script
	maxHold   time.Duration
	waiterTTL time.Duration
	now       func() time.Time
	ep        epoch
}

// New returns a Store on client. The client stays the caller's to close.
func New(client redis.UniversalClient, opts ...Option) *Store {
	s := &Store{
		client:    client,
		prefix:    "clavebot:",
		lockTTL:   30 * time.Second,
		minWait:   2 * time.Millisecond,
		maxWait:   50 * time.Millisecond,
		seenTTL:   24 * time.Hour,
		markerTTL: 24 * time.Hour,
		tokens:    rand.Reader,
		acquire:   redis.NewScript(acquireLua),
		commit:    redis.NewScript(commitLua),
		release:   redis.NewScript(releaseLua),
		leave:     redis.NewScript(leaveLua),
		renewer:   redis.NewScript(renewLua),
		maxHold:   2 * time.Minute,
		now:       time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	// A waiter asks again at least every maxWait; it is taken for dead
	// after missing many of those.
	s.waiterTTL = max(time.Second, 20*s.maxWait)
	return s
}

// Ping checks that Redis can serve turns, for readiness probes (see the
// package's Ping), and reads the epoch (see epoch.go), so that a loss of
// Redis' data is known to the process soon after, and surely seen.
func (s *Store) Ping(ctx context.Context) error {
	if err := Ping(ctx, s.client); err != nil {
		return err
	}
	s.readEpoch(ctx, s.now()) // its failure is the next probe's; Ping has answered
	return nil
}

// newToken returns a random lock token: it proves, at commit, that the lock
// is still the one this turn took.
func (s *Store) newToken() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(s.tokens, b[:]); err != nil {
		return "", fmt.Errorf("redisstore: lock token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// millis converts d to whole milliseconds for PX, rounding up so that a
// positive duration never becomes 0 (which Redis rejects).
func millis(d time.Duration) int64 {
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}
