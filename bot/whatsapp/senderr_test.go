package whatsapp

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/internal/wtest"
	"github.com/clavebot/clavebot/i18n"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSendFailuresNameNoPhoneNumber: whatsmeow's send errors name the
// person's JID, their phone number ("no LID found for
// 5491111111111@s.whatsapp.net from server"). The turn's "send failed"
// line and the outbox's (which logs the error and shows its reason on the
// desk and in the dead letters) carried it. The JID is taken out.
func TestSendFailuresNameNoPhoneNumber(t *testing.T) {
	to := jid(alice)
	errs := []error{
		fmt.Errorf("no LID found for %s from server", to),
		fmt.Errorf("failed to get LID for PN %s: %w", to, whatsmeow.ErrIQTimedOut),
		fmt.Errorf("failed to encrypt peer message for %s: %v", types.JID{User: alice, Device: 3, Server: types.DefaultUserServer}, "no session"),
	}
	var logs lockedBuffer
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	eng := &wtest.Engine{}
	b := bot.New(eng, cat.Printer(i18n.ES), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	h := &harness{cli: &fakeClient{}, engine: eng}
	h.w = newWhatsApp(b, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), WithQRWriter(nil))
	h.s = h.w.newSession(h.cli)
	h.cli.fail = []error{errs[0]}
	h.feed(textMsg(alice, "m1", "hola"))
	for _, e := range errs {
		h.cli.fail = []error{e}
		_, err := h.s.SendOnce(context.Background(), to.String(), bot.Message{Text: "Hola, soy Ana"}, "agent:a1")
		se := bot.Classify(err)
		if strings.Contains(se.Error(), "1111111") || strings.Contains(se.Reason, "1111111") {
			t.Errorf("%v: the outbox logs %q and shows %q", e, se.Error(), se.Reason)
		}
		if want := bot.Classify(sendError(e)).Failure; se.Failure != want {
			t.Errorf("%v: classified %s, want %s", e, se.Failure, want)
		}
	}
	if out := logs.String(); strings.Contains(out, "1111111") || !strings.Contains(out, "send failed") {
		t.Fatalf("the log names the person's number (or has no failure):\n%s", out)
	}
}
