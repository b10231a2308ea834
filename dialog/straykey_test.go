package dialog_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/registry"
)

// TestKeyTypedWhereNotAsked: a person types their key where the bot does
// not ask for one (the first message, the menu, an offer, after the key
// step ran out, to an agent). It is never kept in clear: not in the
// transcript the store keeps or the desk gets, not in the messages
// relayed to the agent, not in the log.
func TestKeyTypedWhereNotAsked(t *testing.T) {
	const key = "Pepe2024xy"
	var logs bytes.Buffer
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk), dialog.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	idle := registry.DefaultPolicy().IdleTimeout
	tests := []struct {
		name  string
		chat  string
		setup func(chat string)
		text  string
	}{
		{"first message", "first", func(string) {}, "hola, mi clave es " + key},
		{"first message, alone", "alone", func(string) {}, key},
		{"menu", "menu", func(c string) { h.step(c, "hola", dialog.ExpectMenu) }, key},
		{"menu, with a full stop", "stop", func(c string) { h.step(c, "hola", dialog.ExpectMenu) }, "mi clave: " + key + "."},
		{"a CUIL's offer", "offer", func(c string) {
			h.step(c, "hola", dialog.ExpectMenu)
			h.step(c, juan, dialog.ExpectChoice)
		}, key},
		{"the CUIL step", "cuil", func(c string) {
			h.step(c, "hola", dialog.ExpectMenu)
			h.step(c, "1", dialog.ExpectCUIL)
		}, "creo que es " + key},
		{"after the key step ran out", "expired", func(c string) {
			h.toKeyStep(c)
			h.now = h.now.Add(idle + time.Hour)
		}, key},
		{"to an agent", "agent", func(c string) {
			h.step(c, "hola", dialog.ExpectMenu)
			h.step(c, "hablar con una persona", dialog.ExpectText)
		}, "mi clave es " + key + " y no entra"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(tt.chat)
			h.send(tt.chat, tt.text)
			h.send(tt.chat, "hablar con una persona")
			var handoff strings.Builder
			for _, q := range desk.queue {
				if q.Chat != tt.chat {
					continue
				}
				for _, l := range q.Transcript {
					handoff.WriteString(l.Msg.Text + "\n")
				}
			}
			for _, where := range []struct{ name, text string }{
				{"the stored transcript", h.store.Lines(tt.chat)},
				{"the stored state", string(h.store.Raw(tt.chat))},
				{"the desk's transcript", handoff.String()},
				{"the relayed messages", strings.Join(desk.relayed, "\n")},
				{"the log", logs.String()},
			} {
				if strings.Contains(where.text, key) || strings.Contains(where.text, "Pepe2024") {
					t.Errorf("%s holds the key:\n%s", where.name, where.text)
				}
			}
		})
	}
	// Words and numbers that are not keys stay as they are.
	h.send("words", "hola, quiero saber el horario de atención 2024")
	if lines := h.store.Lines("words"); !strings.Contains(lines, "horario de atención 2024") {
		t.Errorf("a plain message was masked:\n%s", lines)
	}
}
