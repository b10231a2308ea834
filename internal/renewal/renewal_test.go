package renewal

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var errLost = errors.New("lock lost")

// TestHold: a lock renewed as its own outlives its TTL until released; one
// found another's, one whose renewals never answer, and one held past
// MaxHold end the context with Lost and why; a failed renewal is heard and
// tried again.
func TestHold(t *testing.T) {
	// Long enough that a loaded machine confirms each renewal (every
	// 0.5 s) well within the fence's margin (1 s).
	const ttl = 1500 * time.Millisecond
	hung := make(chan struct{})
	t.Cleanup(func() { close(hung) })
	for _, tt := range []struct {
		name    string
		renew   Renew
		maxHold time.Duration
		why     string // "" when the context must outlive 3 TTLs
	}{
		{"ours", func(time.Time) (bool, error) { return true, nil }, 0, ""},
		{"another's", func(time.Time) (bool, error) { return false, nil }, 0, "taken by another drain"},
		{"never answered", func(time.Time) (bool, error) { <-hung; return true, nil }, 0, "not renewed for"},
		{"held too long", func(time.Time) (bool, error) { return true, nil }, ttl, "held longer than"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var failed atomic.Int32
			o := Options{TTL: ttl, Lost: errLost, Holder: "drain", MaxHold: tt.maxHold, Failed: func(error) { failed.Add(1) }}
			ctx, release := Hold(context.Background(), o, tt.renew)
			defer release()
			select {
			case <-ctx.Done():
				if tt.why == "" {
					t.Fatalf("ended while renewed: %v", context.Cause(ctx))
				}
				if cause := context.Cause(ctx); !errors.Is(cause, errLost) || !strings.Contains(cause.Error(), tt.why) {
					t.Fatalf("cause %v, want %v saying %q", cause, errLost, tt.why)
				}
			case <-time.After(3 * ttl):
				if tt.why != "" {
					// Generous: the fence is at two thirds of the TTL.
					select {
					case <-ctx.Done():
					case <-time.After(30 * time.Second):
						t.Fatalf("still held, want it lost (%s)", tt.why)
					}
				}
			}
		})
	}
}

// TestReleaseEndsTheContextWithoutCause: released work's context ends
// with no loss as its cause, and nothing is renewed afterwards.
func TestReleaseEndsTheContextWithoutCause(t *testing.T) {
	var renewals atomic.Int32
	ctx, release := Hold(context.Background(), Options{TTL: 300 * time.Millisecond, Lost: errLost}, func(time.Time) (bool, error) {
		renewals.Add(1)
		return true, nil
	})
	release()
	release() // twice is harmless
	<-ctx.Done()
	if cause := context.Cause(ctx); errors.Is(cause, errLost) {
		t.Fatalf("cause %v after release", cause)
	}
	time.Sleep(time.Second)
	if n := renewals.Load(); n != 0 {
		t.Fatalf("%d renewals after release", n)
	}
}

// TestFailedRenewalIsTriedAgain: a renewal that fails is heard and tried
// again; once one succeeds the lock is kept.
func TestFailedRenewalIsTriedAgain(t *testing.T) {
	var calls, failed atomic.Int32
	o := Options{TTL: 3 * time.Second, Lost: errLost, Failed: func(error) { failed.Add(1) }}
	ctx, release := Hold(context.Background(), o, func(time.Time) (bool, error) {
		if calls.Add(1) == 1 {
			return false, errors.New("connection reset")
		}
		return true, nil
	})
	defer release()
	deadline := time.Now().Add(30 * time.Second)
	for calls.Load() < 3 {
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("%d renewals, context %v", calls.Load(), context.Cause(ctx))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if failed.Load() != 1 {
		t.Fatalf("failures heard: %d, want 1", failed.Load())
	}
}
