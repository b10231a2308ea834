package whatsapp

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/internal/logid"
)

// TestWhatsmeowLogsNoPhoneNumber: whatsmeow's own lines name people by
// their JID, a phone number; they reach the log by pseudonym.
func TestWhatsmeowLogsNoPhoneNumber(t *testing.T) {
	var buf bytes.Buffer
	h := logid.NewHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), nil)
	l := waLogger(slog.New(h), "client")
	l.Infof("Sending message to %s", "5491155550001@s.whatsapp.net")
	l.Sub("Recv").Debugf("Failed to decrypt message from %s in %s", "5491155550001:12@s.whatsapp.net", "120363025246125486@g.us")
	l.Warnf("Got receipt from %v for 12345678901234@lid", "5491155550001.0:3@s.whatsapp.net")
	out := buf.String()
	for _, raw := range []string{"5491155550001", "12345678901234", "1155550001"} {
		if strings.Contains(out, raw) {
			t.Fatalf("the log names %s:\n%s", raw, out)
		}
	}
	if p := h.Pseudonym("whatsapp:5491155550001@s.whatsapp.net"); strings.Count(out, p) != 3 {
		t.Fatalf("the pseudonym %s is not on each line:\n%s", p, out)
	}
}
