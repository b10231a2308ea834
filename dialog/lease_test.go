package dialog_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
)

// slowCitizens is a registry whose records take a while to read once
// armed (a slow PostgreSQL).
type slowCitizens struct {
	dialog.Registry
	delay atomic.Int64
}

func (s *slowCitizens) Citizen(ctx context.Context, cuil registry.CUIL) (*registry.Citizen, error) {
	if d := time.Duration(s.delay.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return nil, errs.E(errs.Unavailable, "citizen", ctx.Err())
		}
	}
	return s.Registry.Citizen(ctx, cuil)
}

// A chat's lock lives --chat-lock-ttl, which is also how long a chat
// waits when the replica handling its message is killed: 30 s by
// default, so that no live turn ever outlasted it. A turn longer than the
// lock lost it: the chat's next message, at another replica, ran at once
// on the state before that turn (asked the DNI again), and the turn's own
// answer was lost ("chat lock lost"). A turn now renews its lock while it
// runs, so the lock can be short and a dead replica's chat wait little.
func TestTurnLongerThanItsLockKeepsTheChat(t *testing.T) {
	h := newHarness(t)
	slow := &slowCitizens{Registry: h.reg}
	prefix := testenv.Prefix(t, testenv.Redis(t), "dialog")
	replica := func() *dialog.Engine {
		s := redisstore.New(testenv.Redis(t), redisstore.WithPrefix(prefix), redisstore.WithLockTTL(time.Second))
		return dialog.New(s, slow, h.cat, h.opts...)
	}
	a, b := replica(), replica()
	h.eng = a
	const chat = "longturn"
	h.toDNIStep(chat)
	slow.delay.Store(int64(3 * time.Second))
	type result struct {
		res dialog.Result
		err error
	}
	first := make(chan result, 1)
	go func() {
		res, err := a.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "dni", Text: "31.456.789", Channel: "test"})
		first <- result{res, err}
	}()
	time.Sleep(1500 * time.Millisecond) // past the lock's second, within the turn
	slow.delay.Store(0)
	second, err := b.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "help", Text: "ayuda", Channel: "test"})
	r := <-first
	if r.err != nil || len(r.res.Replies) == 0 || last(r.res.Replies).Expect != dialog.ExpectChoice || !has(r.res.Replies, question1) {
		t.Fatalf("the long turn: %v\n%s", r.err, h.dump(r.res.Replies))
	}
	if err != nil || last(second.Replies).Expect != dialog.ExpectChoice {
		t.Fatalf("the next message, at another replica: %v; want it handled after the long turn, at the questions:\n%s", err, h.dump(second.Replies))
	}
}
