package registry

import (
	"context"
	"errors"
	"testing"

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
