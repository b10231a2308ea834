package telegram_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestRedisOutageIsToldOnTelegram: Redis goes away in the middle of a
// creation on Telegram (refusing connections, as when it is stopped, or
// hung), where the chat's state, the outbox's queue and the question on
// screen all live. The person's message is answered with the apology
// while Redis is still away (nothing on screen is no answer), which asks
// to write again; once Redis is back, the same message goes on from the
// step it was at, and the apology is not sent a second time (a people
// probe of serve's webhook, a Redis stopped and started again; the REST
// channel has TestRedisDownIsToldToThePerson).
func TestRedisOutageIsToldOnTelegram(t *testing.T) {
	for _, tt := range []struct {
		name string
		away func(*testenv.Proxy)
	}{
		{"stopped", func(p *testenv.Proxy) { p.Cut(true) }},
		{"hung", func(p *testenv.Proxy) { p.Hang() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			real := testenv.Redis(t)
			prefix := testenv.Prefix(t, real, "tgoutage")
			p := testenv.NewProxy(t, real.Options().Addr)
			rdb := redis.NewClient(&redis.Options{Addr: p.Addr(), DB: real.Options().DB, MaxRetries: -1,
				DialTimeout: 200 * time.Millisecond, ReadTimeout: 500 * time.Millisecond, WriteTimeout: 500 * time.Millisecond})
			t.Cleanup(func() { rdb.Close() })
			cat, err := i18n.Load()
			if err != nil {
				t.Fatal(err)
			}
			store := redisstore.New(rdb, redisstore.WithPrefix(prefix), redisstore.WithLockTTL(5*time.Second))
			eng := &turnCounter{eng: dialog.New(store, realService(t), cat)}
			local := bot.NewLocal(discard(), bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
			rel := relay.New(rdb, prefix, local, slog.New(slog.DiscardHandler))
			outbox := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(rel))
			h, ch := newHarnessBot(t, eng, []bot.Option{bot.WithOutbox(outbox)})
			local.Register(ch)
			h.run(t)
			const chat = 4247
			turn := turnOf(t, h, eng, chat)
			for _, text := range []string{"/start", "1", "20-31456789-8"} {
				turn(func() { h.api.Text(chat, text) })
			}
			tt.away(p)
			apology := turn(func() { h.api.Text(chat, "María Belén") })
			if !strings.Contains(apology.Text, "problema técnico") {
				t.Fatalf("with Redis %s: %q, want the apology", tt.name, apology.Text)
			}
			p.Restore()
			next := turn(func() { h.api.Text(chat, "María Belén") })
			if !strings.Contains(next.Text, "apellido") {
				t.Fatalf("Redis back: %q, want the surnames asked", next.Text)
			}
			if n := strings.Count(botText(h.api.BotMessages(chat)), "problema técnico"); n != 1 {
				t.Fatalf("the apology sent %d times, want once:\n%s", n, botText(h.api.BotMessages(chat)))
			}
		})
	}
}
