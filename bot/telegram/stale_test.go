package telegram_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestTapAfterRedisEmptied: Redis emptied (a restart, a flush) while an
// identity question's buttons are on screen. A tap on them was told "Esa
// opción es de un mensaje anterior… Contestá mi última pregunta", with no
// question shown, and every tap after looped on it (a resilience probe).
// With no question on screen, the engine answers the tap: here, with no
// conversation left, it starts over kindly, the menu's buttons shown.
func TestTapAfterRedisEmptied(t *testing.T) {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "tgflush")
	reg := realService(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	eng := &turnCounter{eng: dialog.New(redisstore.New(rdb, redisstore.WithPrefix(prefix)), reg, cat)}
	local := bot.NewLocal(discard(), bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
	rel := relay.New(rdb, prefix, local, slog.New(slog.DiscardHandler))
	outbox := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(rel))
	h, ch := newHarnessBot(t, eng, []bot.Option{bot.WithOutbox(outbox)})
	local.Register(ch)
	h.run(t)
	const chat = 4246
	turn := turnOf(t, h, eng, chat)
	last := turn(func() { h.api.Text(chat, "/start") })
	for _, answer := range []string{"1", "20-31456789-8", "María Belén", "Gómez Ruiz", "14/03/1985", "31.456.789"} {
		last = turn(func() { h.api.Text(chat, answer) })
	}
	question := last
	if len(question.Keyboard) == 0 {
		t.Fatalf("no buttons under the first identity question: %q", question.Text)
	}
	qs := relay.NewQuestions(rdb, prefix)
	h.waitFor(t, "the question remembered", func() bool {
		q, _, err := qs.Current(t.Context(), "telegram:4246")
		return err == nil && q != ""
	})
	if err := testenv.DeleteKeys(t.Context(), rdb, prefix+"*"); err != nil { // Redis emptied
		t.Fatal(err)
	}
	n := len(h.api.BotMessages(chat))
	if _, err := h.api.TapOption(chat, question.ID, 1); err != nil {
		t.Fatal(err)
	}
	h.waitFor(t, "the tap's answer", func() bool {
		ms := h.api.BotMessages(chat)
		return len(ms) > n && (len(ms[len(ms)-1].Keyboard) > 0 || strings.Contains(botText(ms[n:]), "última pregunta"))
	})
	time.Sleep(100 * time.Millisecond) // the turn's other messages, if any
	got := h.api.BotMessages(chat)[n:]
	menu := got[len(got)-1]
	if strings.Contains(botText(got), "última pregunta") || len(menu.Keyboard) == 0 {
		t.Fatalf("a tap after Redis was emptied answered:\n%s\nwant the conversation started over, its question shown", botText(got))
	}
	if !strings.Contains(botText(got), "perdí nuestra conversación") {
		t.Errorf("a tap after Redis was emptied: %q, want the conversation told lost", botText(got))
	}
	last = turn(func() {
		if _, err := h.api.TapOption(chat, menu.ID, 1); err != nil {
			t.Fatal(err)
		}
	})
	if !strings.Contains(last.Text, "CUIL") {
		t.Errorf("the menu's first option after it: %q, want the CUIL asked", last.Text)
	}
}
