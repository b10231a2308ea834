package relay_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// redisHolds reports whether any key under prefix holds s, in any value.
func redisHolds(t *testing.T, rdb redis.UniversalClient, prefix, s string) string {
	t.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		var vals []string
		switch typ := rdb.Type(ctx, k).Val(); typ {
		case "string":
			vals = []string{rdb.Get(ctx, k).Val()}
		case "list":
			vals = rdb.LRange(ctx, k, 0, -1).Val()
		case "hash":
			for f, v := range rdb.HGetAll(ctx, k).Val() {
				vals = append(vals, f, v)
			}
		case "zset":
			vals = rdb.ZRange(ctx, k, 0, -1).Val()
		case "set":
			vals = rdb.SMembers(ctx, k).Val()
		}
		for _, v := range vals {
			if strings.Contains(v, s) {
				return fmt.Sprintf("%s: %q", k, v)
			}
		}
	}
	return ""
}

// TestCodeSealedWhileItWaits is an attack probe's finding: a one-time code
// sent on WhatsApp waited in Redis in clear, held for a closed 24-hour
// window until the person wrote, kept after it was sent (to be put back on
// a late failure), and, refused, buried as a dead letter whose text the
// desk lists to supervisors: whoever read Redis, a backup of it or that
// list typed the code while it was valid, the second factor of someone
// else's recovery. A secret message is sealed before it is stored, and
// opened by the process that sends it; the person gets it in clear.
func TestCodeSealedWhileItWaits(t *testing.T) {
	const code = "482915"
	ctx := context.Background()
	rdb, prefix := realRedis(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := bot.NewSealer([]byte("the deployment's secret"))
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC)}
	p := windowPlatform()
	p.ready = true
	local := bot.NewLocal(discard, bot.WithQuestions(relay.NewQuestions(rdb, prefix)), bot.WithOpener(sealer))
	local.Register(p)
	r := relay.New(rdb, prefix, local, discard, relay.WithWorkers(0), relay.WithClock(clk.now),
		relay.WithRetries(4, time.Second, time.Minute), relay.WithGiveUp(30*time.Minute))
	o := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(r), bot.WithSealer(sealer))

	// Held for the closed window, then sent when the person writes.
	p.fail(closedWindow)
	if err := o.DeliverSecret(ctx, chat, "code:c1", text("Tu código es "+code)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Drain(ctx, chat); err != nil {
		t.Fatal(err)
	}
	if d, _ := r.Delivery(ctx, chat); d.Statuses["code:c1"].State != bot.Held {
		t.Fatalf("the code is not held: %+v", d)
	}
	if where := redisHolds(t, rdb, prefix, code); where != "" {
		t.Fatalf("the held code is readable in Redis: %s", where)
	}
	if _, err := r.Arrived(ctx, convo.Inbound{Chat: chat}); err != nil {
		t.Fatal(err)
	}
	if acc, _, _ := p.state(); len(acc) != 1 || acc[0] != "Tu código es "+code {
		t.Fatalf("the person got %q", acc)
	}
	if where := redisHolds(t, rdb, prefix, code); where != "" {
		t.Fatalf("the code sent is readable in Redis: %s", where)
	}

	// Refused: a dead letter, listed on the desk without the code.
	p.fail(&bot.SendError{Failure: bot.Refused, Code: "131026", Reason: "message undeliverable"})
	if err := o.DeliverSecret(ctx, chat, "code:c2", text("Tu código es 913370")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Drain(ctx, chat); err != nil {
		t.Fatal(err)
	}
	dead, err := r.DeadLetters(ctx, 10)
	if err != nil || len(dead) != 1 {
		t.Fatalf("dead letters %+v, %v", dead, err)
	}
	if strings.Contains(dead[0].Text, "913370") || strings.Contains(dead[0].Text, "sealed") {
		t.Fatalf("the desk lists the dead code as %q", dead[0].Text)
	}
	if where := redisHolds(t, rdb, prefix, "913370"); where != "" {
		t.Fatalf("the dead code is readable in Redis: %s", where)
	}

	// A queue without a sealer refuses a secret message rather than
	// keep it in clear.
	plain := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(r))
	if err := plain.DeliverSecret(ctx, chat, "code:c3", text("Tu código es 555123")); err == nil {
		t.Fatal("an outbox without a sealer stored a secret message")
	}
	// What a process cannot open (sealed under another secret, damaged)
	// is given up, never sent sealed.
	other, _ := bot.NewSealer([]byte("another deployment"))
	elsewhere := bot.NewLocal(discard, bot.WithOpener(other))
	elsewhere.Register(p)
	before, _, _ := p.state()
	_, err = elsewhere.SendOnce(ctx, chat, bot.Envelope{Key: "code:c4", Msg: bot.Message{Text: "sealed.v1.AAAA"}, Sealed: true})
	if err == nil || bot.Classify(err).Failure != bot.Refused {
		t.Fatalf("a message that does not open: %v", err)
	}
	if after, _, _ := p.state(); len(after) != len(before) {
		t.Fatalf("sent %q", after[len(before):])
	}
}
