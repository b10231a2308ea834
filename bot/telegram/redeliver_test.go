package telegram_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestRedeliveredUpdateKeepsTheQuestion: a redelivered message changes
// nothing (the current question, a stop) when it carries its time, which
// only WhatsApp Cloud's did. Telegram redelivers an update whose webhook
// answer was lost (or one taken by a poller that died before confirming
// it); the redelivery forgot the current question before the engine
// dropped it as handled, and the person's tap on the menu they were
// looking at was told "Esa opción es de un mensaje anterior" (found by a
// regression probe). Telegram's message has its date.
func TestRedeliveredUpdateKeepsTheQuestion(t *testing.T) {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "chregtg")
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	local := bot.NewLocal(slog.New(slog.DiscardHandler), bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
	r := relay.New(rdb, prefix, local, slog.New(slog.DiscardHandler), relay.WithWorkers(0))
	o := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(r))

	h, ch, url := startWebhookBot(t, newFakeEngine(), []bot.Option{bot.WithOutbox(o)})
	local.Register(ch)
	h.waitFor(t, "setWebhook", func() bool { return len(h.api.OK("setWebhook")) == 1 })

	const chat = 1001
	sent := time.Unix(1700000000, 0)
	h.api.Now = func() time.Time { return sent }
	id := h.api.Text(chat, "opciones")
	h.waitReplies(t, chat, 1)
	menu := h.api.BotMessages(chat)[0]
	// The same update again (its webhook answer was lost).
	update := map[string]any{"update_id": 555, "message": map[string]any{
		"message_id": id, "date": sent.Unix(), "text": "opciones",
		"chat": map[string]any{"id": chat, "type": "private"}, "from": map[string]any{"id": chat, "is_bot": false, "first_name": "X"},
	}}
	if st, err := telegramtest.PostUpdate(context.Background(), url, secret, update); err != nil || st != 200 {
		t.Fatal(st, err)
	}
	if _, err := h.api.TapOption(chat, menu.ID, 1); err != nil {
		t.Fatal(err)
	}
	got := h.waitReplies(t, chat, 2)
	if strings.Contains(got[1], "mensaje anterior") {
		t.Errorf("the tap on the menu after a redelivered update was refused: %q", got)
	}
}
