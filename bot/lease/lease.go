// Package lease lets one process among several run a job that must not run
// twice at once, such as holding the WhatsApp device connection: a key in
// Redis names the holder, the holder renews it, and the others wait to take
// over when it stops renewing.
package lease

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultTTL is used when New gets no TTL: a holder that dies is replaced
// within two TTLs at most (the key expires, then a waiter's next try).
const DefaultTTL = 15 * time.Second

// renew extends the key only while it still holds our token, so a holder
// that lost the key cannot take it back from its successor.
var renew = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`)

// release deletes the key only while it still holds our token.
var release = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

// Lease is one process's claim on a Redis key.
type Lease struct {
	client   redis.UniversalClient
	key      string
	ttl      time.Duration
	interval time.Duration // between renewals, and between tries to acquire
	log      *slog.Logger
	now      func() time.Time
	newToken func() (string, error)
	held     atomic.Bool
}

// New returns a lease on key; ttl <= 0 means DefaultTTL.
func New(client redis.UniversalClient, key string, ttl time.Duration, log *slog.Logger) *Lease {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &Lease{
		client:   client,
		key:      key,
		ttl:      ttl,
		interval: ttl / 3,
		log:      log.With("component", "lease", "key", key),
		now:      time.Now,
		newToken: randomToken,
	}
}

// Held reports whether this process holds the lease now (for readiness
// pages and the desk).
func (l *Lease) Held() bool { return l.held.Load() }

func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("lease token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Run calls fn whenever this process holds the lease, until ctx ends or fn
// returns on its own. When the lease is lost, fn's context is cancelled,
// Run waits for fn to return and goes back to waiting for the lease. When fn
// returns on its own, Run releases the lease and returns fn's error. When
// ctx ends, Run releases the lease and returns ctx's error.
func (l *Lease) Run(ctx context.Context, fn func(ctx context.Context) error) error {
	for {
		token, err := l.acquire(ctx)
		if err != nil {
			return err
		}
		lost, err := l.hold(ctx, token, fn)
		if !lost {
			return err
		}
		l.log.Warn("lease lost; waiting to take it again")
	}
}

// acquire tries every interval until it holds the key or ctx ends.
func (l *Lease) acquire(ctx context.Context) (string, error) {
	token, err := l.newToken()
	if err != nil {
		return "", err
	}
	t := time.NewTicker(l.interval)
	defer t.Stop()
	for {
		ok, err := l.client.SetNX(ctx, l.key, token, l.ttl).Result()
		switch {
		case err == nil && ok:
			l.log.Info("lease acquired")
			return token, nil
		case err != nil && ctx.Err() == nil:
			l.log.Warn("lease: could not try to acquire", "err", err)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-t.C:
		}
	}
}

// hold runs fn while renewing the lease. lost is true when fn was stopped
// because the lease could not be renewed.
func (l *Lease) hold(ctx context.Context, token string, fn func(ctx context.Context) error) (lost bool, err error) {
	l.held.Store(true)
	defer l.held.Store(false)
	fnCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	lostCh := make(chan bool, 1)
	go func() {
		gone := l.keep(fnCtx, token)
		if gone {
			cancel()
		}
		lostCh <- gone
	}()
	err = fn(fnCtx)
	cancel()
	lost = <-lostCh
	l.release(token)
	switch {
	case ctx.Err() != nil:
		return false, ctx.Err()
	case lost:
		if err != nil && !errors.Is(err, context.Canceled) {
			l.log.Warn("job stopped with the lease lost", "err", err)
		}
		return true, nil
	}
	return false, err
}

// keep renews the lease every interval until ctx ends (false) or the lease
// is lost (true). A failed renewal is retried at the next tick only if the
// key is sure to outlive that tick; otherwise fn must stop now, before a
// successor can take the key.
func (l *Lease) keep(ctx context.Context, token string) bool {
	t := time.NewTicker(l.interval)
	defer t.Stop()
	validUntil := l.now().Add(l.ttl)
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
		start := l.now()
		ok, err := l.renew(ctx, token)
		switch {
		case ctx.Err() != nil:
			return false
		case err == nil && ok:
			validUntil = start.Add(l.ttl)
		case err == nil:
			l.log.Warn("lease taken by another process")
			return true
		case l.now().Add(l.interval).Before(validUntil):
			l.log.Warn("lease renewal failed; retrying", "err", err)
		default:
			l.log.Error("lease renewal failed; giving it up", "err", err)
			return true
		}
	}
}

func (l *Lease) renew(ctx context.Context, token string) (bool, error) {
	n, err := renew.Run(ctx, l.client, []string{l.key}, token, l.ttl.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("renew lease %s: %w", l.key, err)
	}
	return n == 1, nil
}

// release runs on its own short context: the caller's has usually ended.
func (l *Lease) release(token string) {
	ctx, cancel := context.WithTimeout(context.Background(), l.interval)
	defer cancel()
	n, err := release.Run(ctx, l.client, []string{l.key}, token).Int64()
	switch {
	case err != nil:
		l.log.Warn("lease release failed; it will expire", "err", err)
	case n == 1:
		l.log.Info("lease released")
	}
}
