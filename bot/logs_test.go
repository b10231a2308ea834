package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/logid"
)

// TestLogsNameNoChat: a turn that fails is logged with the chat's
// pseudonym, never its id (a Telegram user id, a WhatsApp phone number).
func TestLogsNameNoChat(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	h := logid.NewHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), nil)
	b := bot.New(failing{}, cat.Printer(i18n.ES), slog.New(h))
	for _, chat := range []string{"telegram:987654321", "whatsapp:5491155550001"} {
		b.Handle(context.Background(), dialog.Inbound{Chat: chat, Text: "hola", Channel: strings.Split(chat, ":")[0]})
		id := strings.Split(chat, ":")[1]
		if strings.Contains(buf.String(), id) {
			t.Fatalf("the log names %s:\n%s", id, buf.String())
		}
		if !strings.Contains(buf.String(), h.Pseudonym(chat)) {
			t.Fatalf("the log lacks the pseudonym %s of %s:\n%s", h.Pseudonym(chat), chat, buf.String())
		}
	}
}
