// Package wtest has the scripted engine the WhatsApp channels' tests talk
// to in place of the dialog engine.
package wtest

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// Engine answers by script and records what it was given:
//   - "menu": three options; "long menu": twelve; "wide menu": labels of
//     more than 20 characters
//   - "key ...": a secret answer (the bot asks to delete the message)
//   - media: "media <kind>", a secret one when its caption is "key ..."
//   - "a | b | ...": one reply for each part, "echo a", "echo b"...
//   - anything else: "echo <text>"
type Engine struct {
	mu  sync.Mutex
	got []convo.Inbound
}

var _ bot.Engine = (*Engine)(nil)

// Menus of the script.
var (
	Menu     = []string{"Crear", "Recuperar", "Cambiar"}
	WideMenu = []string{"Crear mi clave", "Recuperar mi clave (me la olvidé)", "Cambiar mi clave"}
)

// Handle implements bot.Engine.
func (e *Engine) Handle(_ context.Context, in convo.Inbound) (convo.Result, error) {
	e.mu.Lock()
	e.got = append(e.got, in)
	e.mu.Unlock()
	switch {
	case in.Media != "":
		r := reply("media "+in.Media, nil)
		r.Secret = strings.HasPrefix(in.Caption, "key ")
		return r, nil
	case in.Text == "menu":
		return reply("elegí", Menu), nil
	case in.Text == "wide menu":
		return reply("elegí", WideMenu), nil
	case in.Text == "long menu":
		opts := make([]string, 12)
		for i := range opts {
			opts[i] = "opción " + string(rune('a'+i))
		}
		return reply("elegí", opts), nil
	case strings.HasPrefix(in.Text, "key "):
		r := reply("clave anotada", nil)
		r.Secret = true
		return r, nil
	}
	if parts := strings.Split(in.Text, " | "); len(parts) > 1 {
		var res convo.Result
		for _, p := range parts {
			res.Replies = append(res.Replies, reply("echo "+p, nil).Replies...)
		}
		return res, nil
	}
	return reply("echo "+in.Text, nil), nil
}

func reply(text string, options []string) convo.Result {
	r := convo.Reply{Msg: i18n.Raw(text), Expect: convo.ExpectText}
	for _, o := range options {
		r.Options = append(r.Options, i18n.Raw(o))
	}
	return convo.Result{Replies: []convo.Reply{r}}
}

// Inbounds returns the messages handled so far, in order.
func (e *Engine) Inbounds() []convo.Inbound {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]convo.Inbound(nil), e.got...)
}

// Bot is a bot.Bot in Spanish over e.
func Bot(t *testing.T, e bot.Engine, opts ...bot.Option) *bot.Bot {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatalf("load catalogs: %v", err)
	}
	return bot.New(e, cat.Printer(i18n.ES), Quiet(), opts...)
}

// Quiet is a logger that drops everything.
func Quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
