package telegram_test

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/lease"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestUpdatesFetchedAreNotLostWithTheLease: the library reads a batch of
// updates into a buffer of 1,024 and asks for the next batch, which
// confirms the first to Telegram, before its worker has handed them on;
// when the channel's lanes are full the worker waits (the push back on
// the reader), and the buffer fills with confirmed updates. When the
// poller's lease ended (a Redis hiccup, a rolling restart) the library
// dropped them ("some updates lost, ctx done"): people's messages that
// Telegram would never send again, to this process or the next poller
// (the likely cause of TestOnePollerPerToken's rare failure, a debt
// probe). An update is now confirmed only once a lane has taken it: the
// next poller gets the rest.
func TestUpdatesFetchedAreNotLostWithTheLease(t *testing.T) {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "tgloss")
	eng := newFakeEngine()
	release := make(chan struct{})
	eng.gate = func(ctx context.Context, in convo.Inbound) {
		if in.Chat == "telegram:2000" {
			<-release
		}
	}
	pollLease := func() telegram.Option {
		return telegram.WithPollLease(lease.New(rdb, prefix+"telegram:poll", time.Second, discard()))
	}
	h, chA := newHarness(t, eng, telegram.WithWorkers(1), pollLease())
	ctxA, stopA := context.WithCancel(context.Background())
	doneA := make(chan error, 1)
	go func() { doneA <- chA.Run(ctxA) }()
	defer stopA()
	h.api.Text(2000, "la primera, lenta")
	h.waitFor(t, "the slow turn", func() bool { return len(eng.inbound("telegram:2000")) == 1 })
	// One lane (WithWorkers(1)), 64 deep: these fill it and the
	// library's buffer behind it.
	const others = 300
	for i := range others {
		h.api.Text(int64(3000+i), "hola")
	}
	// Give the poller time to confirm what it would (with the library's
	// buffer, about all of them); a loaded machine that gives it less can
	// only hide the loss, never make it up.
	deadline := time.Now().Add(3 * time.Second)
	for h.api.Pending() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stopA() // the lease is gone
	close(release)
	<-doneA

	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	chB, err := telegram.New(token, bot.New(eng, cat.Printer(i18n.ES), discard()), discard(),
		telegram.WithServerURL(h.api.URL), telegram.WithPollTimeout(2*time.Second), pollLease())
	if err != nil {
		t.Fatal(err)
	}
	ctxB, stopB := context.WithCancel(context.Background())
	doneB := make(chan error, 1)
	go func() { doneB <- chB.Run(ctxB) }()
	defer func() { stopB(); <-doneB }()
	missing := func() []int {
		var out []int
		for i := range others {
			if len(eng.inbound("telegram:"+itoa(int64(3000+i)))) == 0 {
				out = append(out, 3000+i)
			}
		}
		return out
	}
	deadline = time.Now().Add(30 * time.Second)
	for len(missing()) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if m := missing(); len(m) > 0 {
		t.Fatalf("%d of %d people's messages were never handled, by the poller that lost its lease or the next (first %d)", len(m), others, m[0])
	}
}
