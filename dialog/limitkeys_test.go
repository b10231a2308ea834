package dialog_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/dialogtest"
	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/registry"
)

// keysSeen is a Limiter that allows everything and notes the keys it is
// asked about.
type keysSeen struct {
	mu   sync.Mutex
	keys []string
}

func (k *keysSeen) Allow(_ context.Context, key string, _ int, _ time.Duration) (bool, time.Duration, error) {
	k.note(key)
	return true, 0, nil
}

func (k *keysSeen) note(key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key != "" && !slices.Contains(k.keys, key) {
		k.keys = append(k.keys, key)
	}
}

// storeCounting notes the keys of the limits its store counts when it
// takes a chat (a new chat's, a CUIL's at the CUIL step), which share the
// Limiter's keys.
type storeCounting struct {
	*dialogtest.MemStore
	seen *keysSeen
}

func (s storeCounting) AcquireNew(ctx context.Context, chat, msgID string, newChat, armed statestore.Limit) (statestore.Lease, []byte, error) {
	s.seen.note(newChat.Key)
	s.seen.note(armed.Key)
	return s.MemStore.AcquireNew(ctx, chat, msgID, newChat, armed)
}

// TestLimitKeysNameWhatTurnsCount: `clavebot loadtest` deletes, after its
// run, the counters its people left in the Limiter, by LimitKeys: they
// stayed an hour in a shared Redis (some 110,000 keys after a session's
// runs). A chat from a source that opens, types a CUIL, has it checked with
// its data and asks for a person counts only keys LimitKeys names.
func TestLimitKeysNameWhatTurnsCount(t *testing.T) {
	const source = "203.0.113.7"
	seen := &keysSeen{}
	h := newHarness(t, dialog.WithLimiter(seen), dialog.WithDesk(&fakeDesk{}))
	h.eng = dialog.New(storeCounting{h.store, seen}, h.reg, h.cat, h.opts...)
	for i, text := range []string{"hola", "1", maria, "menú", maria + " 31456789", "4", "14/03/1985", "hablar con una persona"} {
		if _, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: "c", ID: strconv.Itoa(i), Text: text, Channel: "rest", Source: source}); err != nil {
			t.Fatal(err)
		}
	}
	cuil, err := registry.ParseCUIL(maria)
	if err != nil {
		t.Fatal(err)
	}
	want := dialog.LimitKeys(source, cuil)
	if len(seen.keys) < 5 {
		t.Fatalf("the chat counted %q; want a new chat, a CUIL, a check, its proof and a hand-over", seen.keys)
	}
	for _, k := range seen.keys {
		if !slices.Contains(want, k) {
			t.Errorf("the chat counted %q, which LimitKeys(%q, %q) = %q does not name", k, source, maria, want)
		}
	}
	if got := dialog.LimitKeys("127.0.0.1", ""); len(got) != 0 {
		t.Errorf("LimitKeys of loopback and no CUIL = %q; want none (nothing is counted for them)", got)
	}
}
