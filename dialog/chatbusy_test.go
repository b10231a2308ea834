package dialog_test

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// A message that waits its whole turn for its chat, held by another turn
// (a key being hashed, a replica that died holding it), is told to try
// again, as when Redis is away; it was also counted as "unavailable",
// the event of ClavebotDependencyUnavailable, the critical alert that
// says Redis or PostgreSQL is down: a busy chat paged whoever was on call
// for an outage there was not (a debt probe). It is counted as chat_busy.
func TestChatBusyIsNoOutage(t *testing.T) {
	rec := &events{}
	h := newHarness(t, dialog.WithRecorder(rec))
	rdb := testenv.Redis(t)
	store := redisstore.New(rdb, redisstore.WithPrefix(testenv.Prefix(t, rdb, "dialog")))
	eng := dialog.New(store, h.reg, h.cat, h.opts...)
	const chat = "busy"
	held, _, err := store.Acquire(h.ctx, chat, "other")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Release(context.WithoutCancel(h.ctx), held)
	ctx, cancel := context.WithTimeout(h.ctx, 300*time.Millisecond)
	defer cancel()
	res, err := eng.Handle(ctx, dialog.Inbound{Chat: chat, ID: "m1", Text: "hola", Channel: "test"})
	if err != nil || !has(res.Replies, i18n.M("error.state_unknown")) && !has(res.Replies, i18n.M("error.state_unavailable")) {
		t.Fatalf("a message that found its chat busy: %v\n%s", err, h.dump(res.Replies))
	}
	if got := rec.named("unavailable"); len(got) != 0 {
		t.Errorf("a busy chat counted as a dependency unavailable: %+v", got)
	}
	if got := rec.named("chat_busy"); len(got) != 1 {
		t.Errorf("chat_busy counted %d times, want 1", len(got))
	}
}
