package telegram_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/dialog/dialogtest"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

const citizens = `{"cuil":"20-31456789-8","dni":"31.456.789","first_names":"María Belén","last_names":"Gómez Ruiz","birth_date":"1985-03-14","sex":"F","dni_issue_date":"2017-08-22","birth_province":"Córdoba","employers":[{"name":"Panificadora del Centro SRL","cuit":"30-70812345-1","from":"2006-02","to":"2012-11"}],"benefits":[{"name":"Asignación Universal por Hijo","since":"2015-06"}]}
{"cuil":"20-40111222-8","dni":"40111222","first_names":"Juan","last_names":"Pérez","birth_date":"1997-11-02","sex":"M","dni_issue_date":"2019-05-10","birth_province":"Buenos Aires","employers":[{"name":"Metalúrgica Quilmes SA","cuit":"30-50000000-3","from":"2018-01","to":""}]}
{"cuil":"27-35999888-6","dni":"35999888","first_names":"Ana","last_names":"López","birth_date":"1990-07-25","sex":"F","dni_issue_date":"2020-01-15","birth_province":"Mendoza"}
`

// turnCounter wraps the real engine to tell when a turn's replies are all
// out: turns counts finished turns, replies the messages they asked for.
type turnCounter struct {
	eng     bot.Engine
	mu      sync.Mutex
	turns   int
	replies int
}

func (c *turnCounter) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	res, err := c.eng.Handle(ctx, in)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.turns++
	c.replies += max(len(res.Replies), 1) // an error becomes one apology
	return res, err
}

func (c *turnCounter) counts() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.turns, c.replies
}

func realService(t *testing.T) *registry.Service {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "registry.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Import(ctx, strings.NewReader(citizens), nil); err != nil {
		t.Fatal(err)
	}
	cheap := registry.HashParams{Memory: 64, Time: 1, Threads: 1}
	return registry.NewService(db, registry.NewHasher(cheap, 2), registry.DefaultPolicy(), 42)
}

// TestCreateThroughTelegram creates María's key on the real engine, all
// through the Bot API: commands, typed answers, button taps, and the key
// messages deleted as soon as they are read; by long polling and by webhook.
func TestCreateThroughTelegram(t *testing.T) {
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) { createThroughTelegram(t, mode) })
	}
}

func createThroughTelegram(t *testing.T, mode string) {
	reg := realService(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	eng := &turnCounter{eng: dialog.New(dialogtest.NewMemStore(), reg, cat)}
	var h *harness
	if mode == "webhook" {
		h, _ = startWebhook(t, eng)
	} else {
		h, _ = newHarness(t, eng)
		h.run(t)
	}
	const chat = 4242

	turn := turnOf(t, h, eng, chat)
	tapLabel := func(m telegramtest.Message, label string) {
		t.Helper()
		for _, row := range m.Keyboard {
			if row[0].Text == label {
				if _, err := h.api.Tap(chat, m.ID, row[0].Data); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no button %q under %q", label, m.Text)
	}

	last := turn(func() { h.api.Text(chat, "/start") })
	last = turn(func() { tapLabel(last, "Crear mi clave") })
	for _, answer := range []string{"20-31456789-8", "María Belén", "Gómez Ruiz", "14/03/1985", "31.456.789"} {
		last = turn(func() { h.api.Text(chat, answer) })
	}
	c, err := reg.Citizen(context.Background(), "20314567898")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := reg.Questions(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range qs {
		if len(last.Keyboard) != len(q.Options) {
			t.Fatalf("question %d shows %d buttons, want %d: %q", i+1, len(last.Keyboard), len(q.Options), last.Text)
		}
		last = turn(func() {
			if _, err := h.api.TapOption(chat, last.ID, q.Answer+1); err != nil {
				t.Fatal(err)
			}
		})
	}
	const key = "Córdoba2024x"
	var keyMsgs []int
	for range 2 {
		last = turn(func() { keyMsgs = append(keyMsgs, h.api.Text(chat, key)) })
	}
	if n := len(h.api.Calls("getUpdates")); mode == "webhook" && n != 0 {
		t.Errorf("%d getUpdates calls in webhook mode", n)
	}
	if all := botText(h.api.BotMessages(chat)); !strings.Contains(all, "quedó creada") {
		t.Errorf("the chat does not say the key was created:\n%s", all)
	}
	res, err := reg.Verify(context.Background(), "20314567898", key, "test")
	if err != nil || res.Status != registry.VerifyOK {
		t.Errorf("verify = %v, %v", res.Status, err)
	}
	if strings.Contains(h.logs.String(), key) {
		t.Error("the key is in the channel's log")
	}
	t.Logf("the chat:\n%s", botText(h.api.BotMessages(chat)))
	for _, m := range h.api.Messages(chat) {
		for _, id := range keyMsgs {
			if m.ID == id && !m.Deleted {
				t.Errorf("key message %d left in the chat", id)
			}
		}
		if m.FromBot && strings.Contains(m.Text, key) {
			t.Errorf("the bot wrote the key: %q", m.Text)
		}
	}
}

func botText(msgs []telegramtest.Message) string {
	var sb strings.Builder
	for _, m := range msgs {
		sb.WriteString(m.Text + "\n")
	}
	return sb.String()
}

// TestSecondTapIsNotTheNextAnswer: Juan taps only right answers, and the
// second question's button twice, as people do on a slow phone (found by
// a probe). The second tap came after the third question and, read as
// its answer ("Ninguno de estos" is under almost every question), failed
// the round and spent one of his validations. It is refused as an
// earlier question's; the third question still takes his answer.
func TestSecondTapIsNotTheNextAnswer(t *testing.T) {
	reg := realService(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	eng := &turnCounter{eng: dialog.New(dialogtest.NewMemStore(), reg, cat)}
	h, _ := newHarness(t, eng)
	h.run(t)
	const chat = 4244
	turn := turnOf(t, h, eng, chat)
	tap := func(m telegramtest.Message, n int) {
		t.Helper()
		if _, err := h.api.TapOption(chat, m.ID, n); err != nil {
			t.Fatal(err)
		}
	}
	last := turn(func() { h.api.Text(chat, "/start") })
	for _, answer := range []string{"1", "20-40111222-8", "Juan", "Pérez", "02/11/1997", "40111222"} {
		last = turn(func() { h.api.Text(chat, answer) })
	}
	c, err := reg.Citizen(context.Background(), "20401112228")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := reg.Questions(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	last = turn(func() { tap(last, qs[0].Answer+1) })
	second := last
	// The first tap's edit fails, so the buttons stay for the second.
	h.api.Fail("editMessageText", telegramtest.Fault{Code: 400, Description: "Bad Request: message can't be edited"})
	last = turn(func() { tap(second, qs[1].Answer+1) })
	third := last
	// Refused before the engine: no turn, one message.
	n := len(h.api.BotMessages(chat))
	tap(second, qs[1].Answer+1)
	h.waitFor(t, "the refusal", func() bool { return len(h.api.BotMessages(chat)) > n })
	if stale := h.api.BotMessages(chat)[n]; !strings.Contains(stale.Text, "mensaje anterior") {
		t.Errorf("second tap on the second question answered %q, want it refused as an earlier question's", stale.Text)
	}
	eng.mu.Lock()
	eng.replies++ // the refusal, for turn to count
	eng.mu.Unlock()
	turn(func() { tap(third, qs[2].Answer+1) })
	all := botText(h.api.BotMessages(chat))
	if strings.Contains(all, "Alguna respuesta no es correcta") || !strings.Contains(all, "Ahora elegí tu clave") {
		t.Errorf("Juan tapped only right answers and the round did not pass:\n%s", all)
	}
}

// turnOf returns a function that does one thing as the person of chat and
// waits for all the replies, returning the last.
func turnOf(t *testing.T, h *harness, eng *turnCounter, chat int64) func(do func()) telegramtest.Message {
	return func(do func()) telegramtest.Message {
		t.Helper()
		before, _ := eng.counts()
		do()
		h.waitFor(t, "the turn's replies", func() bool {
			turns, replies := eng.counts()
			return turns > before && len(h.api.BotMessages(chat)) == replies
		})
		msgs := h.api.BotMessages(chat)
		return msgs[len(msgs)-1]
	}
}
