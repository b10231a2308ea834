package relay_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
)

// What a stop held back for a person who blocked the bot goes out once
// when they come back, though their unblock reaches one replica, their
// message another, and an agent resends the dead letter by hand from a
// third, all at once.
func TestComebackAcrossReplicasSendsOnce(t *testing.T) {
	rdb, prefix := realRedis(t)
	ctx := context.Background()
	p := &platform{name: "telegram", ready: true}
	a := newProcess(t, rdb, prefix, nil, p)
	b := newProcess(t, rdb, prefix, nil, p)
	desk := newProcess(t, rdb, prefix, nil, p)
	a.run(t)
	b.run(t)
	var want []string
	for i := range 20 {
		tg := "telegram:" + strconv.Itoa(100+i)
		one, two := "uno "+strconv.Itoa(i), "dos "+strconv.Itoa(i)
		p.fail(&bot.SendError{Failure: bot.Blocked, Code: "403", Reason: "the person blocked the bot"})
		if err := a.outbox.Deliver(ctx, tg, "agent:ana:a1", text(one)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the stop", func() bool {
			d, err := a.relay.Delivery(ctx, tg)
			return err == nil && d.Stopped != "" && d.Statuses["agent:ana:a1"].State == bot.Failed
		})
		if err := a.outbox.Deliver(ctx, tg, "agent:ana:a2", text(two)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			if err := a.relay.Unstop(ctx, tg); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if _, err := b.relay.Arrived(ctx, convo.Inbound{Chat: tg}); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() { _ = desk.relay.Resend(ctx, tg, "agent:ana:a1") }) // found or not: either is fine
		wg.Wait()
		want = append(want, one, two)
		waitFor(t, "what waited", func() bool { acc, _, _ := p.state(); return len(acc) >= len(want) })
	}
	time.Sleep(200 * time.Millisecond) // nothing more comes
	if acc, _, _ := p.state(); !slices.Equal(acc, want) {
		t.Fatalf("the platform took %q, want %q", acc, want)
	}
}
