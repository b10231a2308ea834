package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// keptQueue is an outbox's store that keeps what it is given, as Redis
// does.
type keptQueue struct{ envs []bot.Envelope }

func (q *keptQueue) Put(_ context.Context, _ string, envs []bot.Envelope) error {
	q.envs = append(q.envs, envs...)
	return nil
}

// A phone's one-time code went to the outbox, which keeps it in Redis
// until WhatsApp takes it (held for a closed window, retried, buried on
// the desk's undelivered list), in clear (found by an attack probe: read
// there, it was someone else's second factor). It is stored sealed
// (bot/relay's TestCodeSealedWhileItWaits follows it to the person).
func TestPhoneCodeStoredSealed(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := bot.NewSealer([]byte("the deployment's secret"))
	if err != nil {
		t.Fatal(err)
	}
	q := &keptQueue{}
	out := bot.NewOutbox(cat.Printer(i18n.ES), bot.NewLocal(slog.New(slog.DiscardHandler)), bot.WithQueue(q), bot.WithSealer(sealer))
	c := registry.Code{Ref: "ID.secret", Value: "482915", Purpose: registry.CodeFactor,
		To: registry.Contact{Kind: registry.ContactPhone, Value: "+5491123456789"}, Expires: time.Now().Add(10 * time.Minute)}
	for _, cloud := range []bool{true, false} {
		q.envs = nil
		if err := (whatsAppCodes{outbox: out, cloud: cloud}).SendCode(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		if len(q.envs) != 1 {
			t.Fatalf("stored %d messages", len(q.envs))
		}
		if e := q.envs[0]; strings.Contains(e.Msg.Text, c.Value) || !e.Sealed || strings.Contains(e.Key, "secret") {
			t.Fatalf("the code stored as %+v", e)
		}
	}
}
