package relay_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

var discard = slog.New(slog.DiscardHandler)

// realRedis connects to the test Redis and returns a key prefix no other
// test uses.
func realRedis(t *testing.T) (redis.UniversalClient, string) {
	t.Helper()
	c := testenv.Redis(t)
	return c, testenv.Prefix(t, c, "relay")
}

// fakeChannel records what it sends; it owns only the chats in owns (all
// when nil) and can be made not ready.
type fakeChannel struct {
	name  string
	owns  map[string]bool
	mu    sync.Mutex
	sent  []string
	ready bool
}

func (f *fakeChannel) Name() string { return f.name }
func (f *fakeChannel) SendText(_ context.Context, chat, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, chat+"|"+text)
	return nil
}
func (f *fakeChannel) Owns(chat string) bool { return f.owns == nil || f.owns[chat] }
func (f *fakeChannel) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

// process is one clavebot process: its outbox, its channels and its relay.
type process struct {
	outbox *bot.Outbox
	relay  *relay.Relay
}

func newProcess(t *testing.T, rdb redis.UniversalClient, prefix string, opts []relay.Option, chans ...bot.Channel) *process {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	local := bot.NewLocal(discard, bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
	for _, ch := range chans {
		local.Register(ch)
	}
	r := relay.New(rdb, prefix, local, discard, append([]relay.Option{relay.WithSweep(50 * time.Millisecond)}, opts...)...)
	o := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(r))
	return &process{outbox: o, relay: r}
}

func (p *process) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.relay.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitFor polls until cond holds; the deadline only keeps a broken test
// from hanging.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func text(s string) []convo.Reply { return []convo.Reply{{Msg: i18n.Raw(s)}} }

func TestCrossProcessDeliveryInOrderOnce(t *testing.T) {
	rdb, prefix := realRedis(t)
	ctx := context.Background()
	// A runs the desk only; B and C both run WhatsApp (say, during a
	// hand-over of its lease): every message must be sent once, in order.
	a := newProcess(t, rdb, prefix, nil)
	waB := &fakeChannel{name: "whatsapp"}
	waC := &fakeChannel{name: "whatsapp"}
	b := newProcess(t, rdb, prefix, nil, waB)
	c := newProcess(t, rdb, prefix, nil, waC)
	const n = 60
	for i := range n {
		if err := a.outbox.Deliver(ctx, "whatsapp:549111", "agent:m"+strconv.Itoa(i), text("m"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	b.run(t)
	c.run(t)
	for i := n; i < 2*n; i++ {
		if err := a.outbox.Deliver(ctx, "whatsapp:549111", "agent:m"+strconv.Itoa(i), text("m"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "all messages", func() bool { return len(waB.got())+len(waC.got()) >= 2*n })
	merged := mergeInOrder(t, waB.got(), waC.got())
	if len(merged) != 2*n {
		t.Fatalf("sent %d messages, want %d (each exactly once)", len(merged), 2*n)
	}
	for i, s := range merged {
		if want := "549111|m" + strconv.Itoa(i); s != want {
			t.Fatalf("message %d is %q, want %q", i, s, want)
		}
	}
}

// mergeInOrder checks each process sent an increasing subsequence, and
// returns all messages by number.
func mergeInOrder(t *testing.T, lists ...[]string) []string {
	t.Helper()
	var all []string
	byNum := map[int]string{}
	for _, l := range lists {
		last := -1
		for _, s := range l {
			var num int
			if _, err := fmt.Sscanf(s, "549111|m%d", &num); err != nil {
				t.Fatalf("odd message %q", s)
			}
			if num <= last {
				t.Fatalf("out of order in one process: m%d after m%d", num, last)
			}
			if _, dup := byNum[num]; dup {
				t.Fatalf("m%d sent twice", num)
			}
			last, byNum[num] = num, s
		}
	}
	for i := range len(byNum) {
		all = append(all, byNum[i])
	}
	return all
}

func TestTerminalOwnsOnlyItsChat(t *testing.T) {
	rdb, prefix := realRedis(t)
	ctx := context.Background()
	desk := newProcess(t, rdb, prefix, nil)
	mine := &fakeChannel{name: "console", owns: map[string]bool{"ana": true}}
	other := &fakeChannel{name: "console", owns: map[string]bool{"beto": true}}
	pa := newProcess(t, rdb, prefix, nil, mine)
	pb := newProcess(t, rdb, prefix, nil, other)
	pa.run(t)
	pb.run(t)
	for _, m := range []struct{ chat, text string }{{"console:ana", "a1"}, {"console:beto", "b1"}, {"console:ana", "a2"}} {
		if err := desk.outbox.Deliver(ctx, m.chat, bot.NewKey("agent"), text(m.text)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "both terminals", func() bool { return len(mine.got()) == 2 && len(other.got()) == 1 })
	if g := mine.got(); g[0] != "ana|a1" || g[1] != "ana|a2" {
		t.Errorf("ana's terminal got %v", g)
	}
	if g := other.got(); g[0] != "beto|b1" {
		t.Errorf("beto's terminal got %v", g)
	}
}

func TestSameKeyDeliveredOnce(t *testing.T) {
	rdb, prefix := realRedis(t)
	ch := &fakeChannel{name: "rest"}
	p := newProcess(t, rdb, prefix, nil, ch)
	p.run(t)
	ctx := context.Background()
	// A desk reply posted again after a timeout, a reminder handed over by
	// two replicas: one key, one message.
	for range 3 {
		if err := p.outbox.Deliver(ctx, "rest:x", "agent:abc12345", text("hola")); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.outbox.Deliver(ctx, "rest:x", "agent:other123", text("chau")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the second message", func() bool { return len(ch.got()) == 2 })
	time.Sleep(100 * time.Millisecond) // a duplicate would show by now
	if g := ch.got(); len(g) != 2 || g[0] != "x|hola" || g[1] != "x|chau" {
		t.Fatalf("sent %v, want hola once then chau", g)
	}
}

func TestNoQueueSendsAtOnce(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	local := bot.NewLocal(discard)
	o := bot.NewOutbox(cat.Printer(i18n.ES), local)
	err = o.Deliver(context.Background(), "whatsapp:1", "agent:k", text("x"))
	if !errors.Is(err, bot.ErrNotHere) {
		t.Fatalf("delivery to a channel nobody runs, without a queue: %v, want ErrNotHere", err)
	}
	ch := &fakeChannel{name: "console"}
	local.Register(ch)
	if err := o.Deliver(context.Background(), "console:1", "agent:k", text("x")); err != nil || len(ch.got()) != 1 {
		t.Fatalf("local delivery without a queue: %v, sent %v", err, ch.got())
	}
}
