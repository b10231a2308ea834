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

// TestRedisDownKeepsTheStepsExpect: Redis down while a person is at a
// step. The apology says what the bot still waits for: a REST or terminal
// client masking its input by expect unmasked the key field ("text"),
// where PostgreSQL's failures kept the step's. A key typed is treated as
// one (deleted on Telegram). A process that never answered the chat does
// not know the step: its apology asks for nothing that could be a key,
// and a message that may be one is treated as one. Neither says that
// nothing was lost (a resilience probe).
func TestRedisDownKeepsTheStepsExpect(t *testing.T) {
	h := newHarness(t)
	p, store := proxiedStore(t, "keydown")
	h.eng = dialog.New(store, h.reg, h.cat, h.opts...)
	const chat = "keydown"
	h.toKeyStep(chat)

	p.cut(true)
	during := func(text string) dialog.Result {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		res, err := h.eng.Handle(ctx, dialog.Inbound{Chat: chat, ID: text, Text: text, Channel: "test"})
		if err != nil {
			t.Fatalf("with Redis down %q gave %v, want an apology", text, err)
		}
		return res
	}
	res := during("Mate2025amargo")
	if len(res.Replies) != 1 || !has(res.Replies, i18n.M("error.state_unavailable")) || last(res.Replies).Expect != dialog.ExpectNewKey || !res.Secret {
		t.Errorf("at the new key, Redis down: %+v\n%s\nwant the apology, still waiting for the new key, the message a key", res, h.dump(res.Replies))
	}
	if has(res.Replies, i18n.M("error.unavailable")) || has(res.Replies, i18n.M("bot.error")) {
		t.Errorf("the apology says nothing was lost:\n%s", h.dump(res.Replies))
	}

	h.eng = dialog.New(store, h.reg, h.cat, h.opts...) // another replica
	for text, secret := range map[string]bool{"Mate2025amargo": true, "hola": false} {
		res := during(text)
		if !has(res.Replies, i18n.M("error.state_unknown")) || last(res.Replies).Expect != dialog.ExpectText || res.Secret != secret {
			t.Errorf("%q to a process that does not know the step: %+v\n%s\nwant the apology for an unknown step, secret %v", text, res, h.dump(res.Replies), secret)
		}
	}
}

// TestConversationLostWithRedis: Redis restarted empty (or flushed)
// while a person is halfway. Their next message, a DNI or a key, was
// greeted as a stranger's ("¡Hola! Soy el asistente…"), and a key typed
// was not treated as one (a resilience probe). They are told the
// conversation was lost, and start over; a key typed is deleted and never
// logged, as after an idle timeout. Another replica, which never answered
// the chat, knows that Redis lost its data (the store's epoch) and says
// the conversation may have been lost.
func TestConversationLostWithRedis(t *testing.T) {
	rdb := testenv.Redis(t)
	for _, tt := range []struct {
		name, text string
		secret     bool
	}{
		{"a DNI", "31456789", false},
		{"a key", "Mate2025amargo", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			prefix := testenv.Prefix(t, rdb, "lost")
			store := redisstore.New(rdb, redisstore.WithPrefix(prefix))
			h.eng = dialog.New(store, h.reg, h.cat, h.opts...)
			const chat = "lost"
			h.toDNIStep(chat)
			if tt.secret {
				h.step(chat, "31.456.789", dialog.ExpectChoice)
				h.answerQuestions(chat, maria, false)
			}
			if err := testenv.DeleteKeys(h.ctx, rdb, prefix+"*"); err != nil { // Redis emptied
				t.Fatal(err)
			}
			if err := store.Ping(h.ctx); err != nil { // a readiness probe
				t.Fatal(err)
			}
			res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "after", Text: tt.text, Channel: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if !has(res.Replies, i18n.M("state.lost")) || res.Secret != tt.secret {
				t.Errorf("%s after Redis emptied: %+v\n%s\nwant the conversation told lost, secret %v", tt.name, res, h.dump(res.Replies), tt.secret)
			}
			if got := last(res.Replies).Expect; got != dialog.ExpectMenu {
				t.Errorf("then the bot waits for %q, want the menu", got)
			}

			// Another process: it never answered the chat.
			other := dialog.New(redisstore.New(rdb, redisstore.WithPrefix(prefix)), h.reg, h.cat, h.opts...)
			res, err = other.Handle(h.ctx, dialog.Inbound{Chat: "lost2", ID: "1", Text: tt.text, Channel: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if !has(res.Replies, i18n.M("state.maybe_lost")) || res.Secret != tt.secret {
				t.Errorf("%s to another replica after Redis emptied: %+v\n%s\nwant the conversation told maybe lost, secret %v", tt.name, res, h.dump(res.Replies), tt.secret)
			}
		})
	}
}
