package lease

import (
	"github.com/clavebot/clavebot/internal/testenv"

	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const testTTL = 300 * time.Millisecond

// newClient connects to the test Redis, one client per simulated process.
func newClient(t *testing.T) *redis.Client { return testenv.Redis(t) }

func uniqueKey(t *testing.T, c *redis.Client) string {
	key := fmt.Sprintf("clavebot-test:lease:%s:%d", t.Name(), time.Now().UnixNano())
	t.Cleanup(func() { c.Del(context.Background(), key) })
	return key
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newLease(c redis.UniversalClient, key, token string) *Lease {
	l := New(c, key, testTTL, quiet())
	l.newToken = func() (string, error) { return token, nil }
	return l
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// holders counts the jobs running at once across simulated processes.
type holders struct {
	running, max atomic.Int32
	mu           sync.Mutex
	started      []string
}

func (h *holders) job(name string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		n := h.running.Add(1)
		for {
			m := h.max.Load()
			if n <= m || h.max.CompareAndSwap(m, n) {
				break
			}
		}
		h.mu.Lock()
		h.started = append(h.started, name)
		h.mu.Unlock()
		<-ctx.Done()
		h.running.Add(-1)
		return nil
	}
}

func (h *holders) starts() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.started...)
}

func TestOneHolderAndTakeoverAfterCrash(t *testing.T) {
	observer := newClient(t)
	key := uniqueKey(t, observer)
	clients := map[string]*redis.Client{"a": newClient(t), "b": newClient(t)}
	cancels := map[string]context.CancelFunc{}
	stopped := map[string]chan struct{}{}
	h := &holders{}
	for name, c := range clients {
		ctx, cancel := context.WithCancel(context.Background())
		cancels[name] = cancel
		done := make(chan struct{})
		stopped[name] = done
		l := newLease(c, key, "token-"+name)
		go func() {
			defer close(done)
			l.Run(ctx, h.job(name))
		}()
	}
	t.Cleanup(func() {
		for _, cancel := range cancels {
			cancel()
		}
	})

	waitFor(t, "a first holder", 5*time.Second, func() bool { return len(h.starts()) == 1 })
	first := h.starts()[0]
	other := map[string]string{"a": "b", "b": "a"}[first]

	// Several TTLs pass: the holder renews, so the other never starts.
	time.Sleep(4 * testTTL)
	if got := h.starts(); len(got) != 1 {
		t.Fatalf("jobs started while %s held the lease: %v", first, got)
	}
	if v := observer.Get(context.Background(), key).Val(); v != "token-"+first {
		t.Fatalf("key holds %q, want token-%s", v, first)
	}

	// The holder crashes: its connection dies, so it neither renews nor
	// releases; the key must expire on its own.
	crash := time.Now()
	clients[first].Close()
	cancels[first]()
	<-stopped[first]
	waitFor(t, "the other process to take over", 10*testTTL, func() bool { return len(h.starts()) == 2 })
	t.Logf("takeover after %v (ttl %v)", time.Since(crash).Round(time.Millisecond), testTTL)
	if got := h.starts(); got[1] != other {
		t.Fatalf("starts = %v, want %s second", got, other)
	}
	if m := h.max.Load(); m != 1 {
		t.Fatalf("%d jobs ran at once, want 1", m)
	}
}

func TestLostLeaseStopsJobAndRetries(t *testing.T) {
	c := newClient(t)
	key := uniqueKey(t, c)
	var runs atomic.Int32
	stoppedOnce := make(chan struct{})
	job := func(ctx context.Context) error {
		if runs.Add(1) == 1 {
			<-ctx.Done()
			close(stoppedOnce)
			return ctx.Err()
		}
		<-ctx.Done()
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l := newLease(c, key, "mine")
	go l.Run(ctx, job)
	waitFor(t, "the job to start", 5*time.Second, func() bool { return runs.Load() == 1 })

	// Another process overwrites the key (as after an expiry): the holder
	// must notice at its next renewal and stop its job.
	c.Set(context.Background(), key, "intruder", time.Minute)
	select {
	case <-stoppedOnce:
	case <-time.After(10 * testTTL):
		t.Fatal("job kept running after the lease was taken")
	}
	if v := c.Get(context.Background(), key).Val(); v != "intruder" {
		t.Fatalf("the loser touched the winner's key: %q", v)
	}

	c.Del(context.Background(), key)
	waitFor(t, "the job to run again", 10*testTTL, func() bool { return runs.Load() == 2 })
	if !l.Held() {
		t.Fatal("Held() = false while the job runs")
	}
}

func TestRunEnds(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		job     func(ctx context.Context, cancel context.CancelFunc) error
		wantErr error
	}{
		{"job returns its error", func(context.Context, context.CancelFunc) error { return boom }, boom},
		{"job returns nil", func(context.Context, context.CancelFunc) error { return nil }, nil},
		{"caller cancels", func(ctx context.Context, cancel context.CancelFunc) error {
			cancel()
			<-ctx.Done()
			return nil
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t)
			key := uniqueKey(t, c)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			l := newLease(c, key, "mine")
			err := l.Run(ctx, func(ctx context.Context) error { return tt.job(ctx, cancel) })
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Run = %v, want %v", err, tt.wantErr)
			}
			if n := c.Exists(context.Background(), key).Val(); n != 0 {
				t.Fatal("lease not released")
			}
			if l.Held() {
				t.Fatal("Held() = true after Run returned")
			}
		})
	}
}

func TestAcquireWaitsForRelease(t *testing.T) {
	c := newClient(t)
	key := uniqueKey(t, c)
	c.Set(context.Background(), key, "someone-else", time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	go newLease(c, key, "mine").Run(ctx, func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		return nil
	})
	select {
	case <-started:
		t.Fatal("job started while another process held the lease")
	case <-time.After(2 * testTTL):
	}
	c.Del(context.Background(), key)
	select {
	case <-started:
	case <-time.After(10 * testTTL):
		t.Fatal("job did not start after the lease was freed")
	}
}
