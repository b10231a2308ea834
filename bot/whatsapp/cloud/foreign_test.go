package cloud

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

// TestDeliveryForAnotherNumberIgnored: a webhook delivery, signed with the
// app's secret, whose metadata names another business number (another
// number of the same Meta app), or none, is not a message to this bot: it
// is logged and answered 200 (Meta would retry anything else), and no
// turn runs.
func TestDeliveryForAnotherNumberIgnored(t *testing.T) {
	for _, tt := range []struct {
		name, number string
	}{{"another number", "109999999999999"}, {"no number", ""}} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			var logs bytes.Buffer
			h.c.log = slog.New(slog.NewTextHandler(&logs, nil))
			body := graphtest.Payload(tt.number, h.g.DisplayNumber, []map[string]any{textMsg(alice, "wamid.X1", "hola")}, nil)
			if w := h.post(body, graphtest.Sign(h.g.AppSecret, body)); w.Code != 200 {
				t.Fatalf("webhook answered %d", w.Code)
			}
			h.c.Close()
			if got := h.engine.Inbounds(); len(got) != 0 {
				t.Fatalf("a delivery to %q ran turns: %+v", tt.number, got)
			}
			if !strings.Contains(logs.String(), "another number") || strings.Contains(logs.String(), alice) {
				t.Fatalf("log:\n%s", logs.String())
			}
		})
	}
	t.Run("ours", func(t *testing.T) {
		h := newHarness(t)
		body := h.delivery(textMsg(alice, "wamid.X2", "hola"))
		if w := h.post(body, graphtest.Sign(h.g.AppSecret, body)); w.Code != 200 {
			t.Fatalf("webhook answered %d", w.Code)
		}
		h.c.Close()
		if got := h.engine.Inbounds(); len(got) != 1 {
			t.Fatalf("our delivery ran %d turns", len(got))
		}
	})
}
