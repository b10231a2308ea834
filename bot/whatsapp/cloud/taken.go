package cloud

import (
	"context"
	"sync"
	"time"

	"github.com/clavebot/clavebot/bot/whatsapp/internal/recent"
)

// takenReplies knows the turn's replies whose send Meta answered in this
// process, so their "sent" status is not taken to Redis: it cost a round
// trip a reply (issue 14), and matters only to a reply the outbox keeps,
// one whose send got no answer (see SendKeyed). Meta may post the status
// before its answer to the send is read: the status then waits for it
// here, a little. A status that reaches another replica, or outwaits the
// send, is not known here and goes to Redis as before.
type takenReplies struct {
	mu      sync.Mutex
	sending map[string]chan struct{} // closed when the send of key ends
	taken   *recent.Set
}

// maxTaken bounds takenReplies: Meta posts a "sent" within seconds, and
// this is minutes of replies at full load.
const maxTaken = 1 << 16

// sendWait is how long a status that overtook its send waits for the
// send's answer: the answer of a send Meta took is on its way.
const sendWait = time.Second

func newTakenReplies() *takenReplies {
	return &takenReplies{sending: map[string]chan struct{}{}, taken: recent.New(maxTaken)}
}

// send marks key's send under way; the returned func records its end. One
// Meta took (err nil) is known; after a failure the key is forgotten,
// should it have been taken before (the same reply sent again), so the
// status of what Meta did take reaches the outbox, which keeps the reply.
func (t *takenReplies) send(key string) (done func(err error)) {
	ch := make(chan struct{})
	t.mu.Lock()
	t.sending[key] = ch
	t.mu.Unlock()
	return func(err error) {
		if err == nil {
			t.taken.Add(key)
		} else {
			t.taken.Remove(key)
		}
		t.mu.Lock()
		if t.sending[key] == ch {
			delete(t.sending, key)
		}
		t.mu.Unlock()
		close(ch)
	}
}

// has reports whether Meta answered the send of key here, waiting up to
// sendWait for a send under way.
func (t *takenReplies) has(ctx context.Context, key string) bool {
	t.mu.Lock()
	ch := t.sending[key]
	t.mu.Unlock()
	if ch != nil {
		wait := time.NewTimer(sendWait)
		defer wait.Stop()
		select {
		case <-ch:
		case <-wait.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
	return t.taken.Has(key)
}
