package registry

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// TestHashSaturated fills every slot and checks that a caller gives up
// with errs.Unavailable when its context ends, instead of queueing forever.
func TestHashSaturated(t *testing.T) {
	h := NewHasher(HashParams{Memory: 64, Time: 1, Threads: 1}, 2)
	h.slots <- struct{}{}
	h.slots <- struct{}{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := h.Hash(ctx, "Cebra7Lunes")
		done <- err
	}()
	cancel()
	if err := <-done; !errs.Is(errs.Unavailable, err) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Hash with no free slot: %v, want Unavailable", err)
	}
	<-h.slots // free one: hashing works again
	if _, err := h.Hash(context.Background(), "Cebra7Lunes"); err != nil {
		t.Fatalf("Hash with a free slot: %v", err)
	}
	if len(h.slots) != 1 {
		t.Errorf("slots in use after Hash = %d, want 1 (the one still held)", len(h.slots))
	}
}

func TestNewHasherConcurrencyFloor(t *testing.T) {
	if got := cap(NewHasher(DefaultHashParams, 0).slots); got != 1 {
		t.Errorf("NewHasher(p, 0) has %d slots, want 1", got)
	}
}

// TestHashQueueIsBounded: with every slot busy and the queue full, one
// more caller is refused at once, not queued.
func TestHashQueueIsBounded(t *testing.T) {
	h := NewHasher(HashParams{Memory: 64, Time: 1, Threads: 1}, 1)
	h.slots <- struct{}{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	queued := make(chan error, hashQueue)
	for range hashQueue {
		go func() { _, err := h.Hash(ctx, "Cebra7Lunes"); queued <- err }()
	}
	for h.waiting.Load() < hashQueue {
		runtime.Gosched()
	}
	start := time.Now()
	_, err := h.Hash(context.Background(), "Cebra7Lunes")
	if !errors.Is(err, ErrSaturated) || time.Since(start) > time.Second {
		t.Fatalf("a caller over the queue: %v after %s, want ErrSaturated at once", err, time.Since(start))
	}
	<-h.slots // the queue moves: everyone waiting hashes
	for range hashQueue {
		if err := <-queued; err != nil {
			t.Errorf("a queued caller: %v", err)
		}
	}
}

func TestHashCapacityIsSlotsAndQueue(t *testing.T) {
	for _, n := range []int{0, 1, 2, 8} {
		h := NewHasher(DefaultHashParams, n)
		if got, want := HashCapacity(n), cap(h.slots)+int(h.maxQueue); got != want {
			t.Errorf("HashCapacity(%d) = %d, the hasher takes %d", n, got, want)
		}
	}
}
