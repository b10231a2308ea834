package relay_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/dialog/convo"
)

// gone is a go-redis hook for a process killed (SIGKILL): once dead,
// nothing it would still say reaches Redis, neither a renewal of its lock
// nor its release.
type gone struct{ dead atomic.Bool }

var errGone = errors.New("the process was killed")

func (g *gone) DialHook(next redis.DialHook) redis.DialHook { return next }
func (g *gone) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if g.dead.Load() {
			cmd.SetErr(errGone)
			return errGone
		}
		return next(ctx, cmd)
	}
}
func (g *gone) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if g.dead.Load() {
			return errGone
		}
		return next(ctx, cmds)
	}
}

// dyingChannel is the channel of a process killed in the middle of a
// send: the send never ends, and the process says nothing more.
type dyingChannel struct {
	fakeChannel
	process *gone
	sending chan struct{}
}

func (d *dyingChannel) SendText(ctx context.Context, _, _ string) error {
	d.process.dead.Store(true)
	close(d.sending)
	<-ctx.Done()
	return ctx.Err()
}

// TestLockOfAKilledDrainEndsSoon: a replica killed while it drains a chat
// (its send under way) neither renews nor releases the chat's lock. The
// lock lasted 2 minutes, so the chat's messages, the one being sent and
// those queued behind it, waited that long for another replica. The lock
// is now short and renewed while the drain sends: another replica sends
// them within seconds of its expiry.
func TestLockOfAKilledDrainEndsSoon(t *testing.T) {
	rdb, prefix := realRedis(t)
	ctx := context.Background()
	const chat = "whatsapp:549111"
	desk := newProcess(t, rdb, prefix, nil)
	if err := desk.outbox.Deliver(ctx, chat, "agent:m1", text("m1")); err != nil {
		t.Fatal(err)
	}

	process := &gone{}
	killedRDB := redis.NewClient(rdb.(*redis.Client).Options())
	t.Cleanup(func() { killedRDB.Close() })
	killedRDB.AddHook(process)
	dying := &dyingChannel{fakeChannel: fakeChannel{name: "whatsapp"}, process: process, sending: make(chan struct{})}
	killed := newProcess(t, killedRDB, prefix, []relay.Option{relay.WithWorkers(0)}, dying)
	dctx, stop := context.WithCancel(ctx)
	drained := make(chan struct{})
	go func() { _, _ = killed.relay.Drain(dctx, chat); close(drained) }()
	t.Cleanup(func() { stop(); <-drained })
	select {
	case <-dying.sending:
	case <-time.After(30 * time.Second):
		t.Fatal("the first replica never sent")
	}
	if err := desk.outbox.Deliver(ctx, chat, "agent:m2", text("m2")); err != nil {
		t.Fatal(err)
	}

	wa := &fakeChannel{name: "whatsapp"}
	other := newProcess(t, rdb, prefix, nil, wa)
	other.run(t)
	// Well before the old lock's 2 minutes; the new lock's seconds fit in
	// it many times over on a loaded machine.
	deadline := time.Now().Add(60 * time.Second)
	for len(wa.got()) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("after 60 s the other replica sent %v; the killed drain's lock still held the chat", wa.got())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if g := wa.got(); g[0] != "549111|m1" || g[1] != "549111|m2" {
		t.Fatalf("the other replica sent %v, want m1 then m2", g)
	}
}

// slowChannel takes every message, each after a while.
type slowChannel struct {
	fakeChannel
	pause time.Duration
}

func (s *slowChannel) SendText(ctx context.Context, chat, text string) error {
	time.Sleep(s.pause)
	return s.fakeChannel.SendText(ctx, chat, text)
}

// TestSlowSendKeepsTheLock: a send slower than the lock's TTL renews it,
// so a replica running beside it does not take the chat and send the
// same message again.
func TestSlowSendKeepsTheLock(t *testing.T) {
	rdb, prefix := realRedis(t)
	ctx := context.Background()
	const chat = "whatsapp:549111"
	// A lock of 2 s, renewed every 0.7 s: a loaded machine answers a
	// renewal well within the 1.3 s the fence leaves it.
	const pause = 5 * time.Second
	opts := []relay.Option{relay.WithLockTTL(2 * time.Second)}
	a := &slowChannel{fakeChannel: fakeChannel{name: "whatsapp"}, pause: pause}
	b := &slowChannel{fakeChannel: fakeChannel{name: "whatsapp"}, pause: pause}
	pa := newProcess(t, rdb, prefix, opts, a)
	pb := newProcess(t, rdb, prefix, opts, b)
	for _, k := range []string{"m1", "m2"} {
		if err := pa.outbox.Deliver(ctx, chat, "agent:"+k, text(k)); err != nil {
			t.Fatal(err)
		}
	}
	pa.run(t)
	pb.run(t)
	deadline := time.Now().Add(60 * time.Second)
	for len(a.got())+len(b.got()) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("after 60 s sent %v", append(a.got(), b.got()...))
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(pause + time.Second) // a second send of either would end by now
	if got := append(a.got(), b.got()...); len(got) != 2 {
		t.Fatalf("sent %v, want m1 and m2 once each", got)
	}
}

// TestSendTakenThenKilledIsNotSentAgain: a replica killed (or cut from
// Redis) after WhatsApp took a message and before it recorded the send
// left the message first in the queue, as if never tried; Meta's statuses
// then said it was sent, and the next drain, on another replica, sent it
// again: the person got it twice. A message the platform says it took is
// recorded as sent instead.
func TestSendTakenThenKilledIsNotSentAgain(t *testing.T) {
	p := windowPlatform()
	s := newStepper(t, p)
	ctx := context.Background()
	if _, err := s.relay.Arrived(ctx, convo.Inbound{Chat: chat}); err != nil { // the window opens
		t.Fatal(err)
	}
	s.deliver(t, "agent:a1", "hola, soy Ana")

	process := &gone{}
	killedRDB := redis.NewClient(s.rdb.(*redis.Client).Options())
	t.Cleanup(func() { killedRDB.Close() })
	killedRDB.AddHook(process)
	killed := newProcess(t, killedRDB, s.prefix, []relay.Option{relay.WithWorkers(0), relay.WithClock(s.clk.now)}, p)
	var taken string
	p.during = func(_, id string) { taken = id; process.dead.Store(true) }
	if _, err := killed.relay.Drain(ctx, chat); err == nil {
		t.Fatal("the killed replica's drain recorded its send")
	}
	p.during = nil
	if err := s.relay.Receipt(ctx, bot.Receipt{Chat: chat, Key: "agent:a1", ID: taken, State: bot.Sent}); err != nil {
		t.Fatal(err)
	}
	if err := s.rdb.Del(ctx, s.prefix+"outbox:{whatsapp}:lock:"+chat).Err(); err != nil { // its lock expired
		t.Fatal(err)
	}
	s.drain(t)
	if acc, _, _ := p.state(); len(acc) != 1 {
		t.Fatalf("the platform took %q, want the message once", acc)
	}
	s.want(t, "agent:a1", bot.Sent)
	if d := s.delivery(t); d.Waiting != 0 {
		t.Fatalf("%d still waiting", d.Waiting)
	}
}
