package logid_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/internal/logid"
)

func TestChatsAreLoggedAsPseudonyms(t *testing.T) {
	const chat = "whatsapp:5491155550001"
	var buf bytes.Buffer
	h := logid.NewHandler(slog.NewTextHandler(&buf, nil), []byte("k1"))
	log := slog.New(h)
	log.Info("a", "chat", logid.Chat(chat))
	log.With("chat", logid.Chat(chat)).Info("b")
	log.Info("c", slog.Group("g", "chat", logid.Chat(chat)))
	log.WithGroup("w").Info("d", "chat", logid.Chat(chat))
	out := buf.String()
	if strings.Contains(out, "5491155550001") {
		t.Fatalf("the phone number was logged:\n%s", out)
	}
	p := h.Pseudonym(chat)
	if !strings.HasPrefix(p, "whatsapp:") || len(p) != len("whatsapp:")+12 || strings.Count(out, p) != 4 {
		t.Fatalf("pseudonym %q, log:\n%s", p, out)
	}
	if other := logid.NewHandler(slog.DiscardHandler, []byte("k2")).Pseudonym(chat); other == p {
		t.Fatal("two keys gave one pseudonym")
	}
	if random := logid.NewHandler(slog.DiscardHandler, nil).Pseudonym(chat); random == p {
		t.Fatal("no key gave the pseudonym of a known key")
	}
	// Without the handler only the channel is written.
	buf.Reset()
	slog.New(slog.NewTextHandler(&buf, nil)).Info("e", "chat", logid.Chat(chat))
	if strings.Contains(buf.String(), "5491155550001") || !strings.Contains(buf.String(), "whatsapp:-") {
		t.Fatalf("without the handler:\n%s", buf.String())
	}
}
