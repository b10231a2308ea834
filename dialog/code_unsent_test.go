package dialog_test

import (
	"errors"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// A relay that is down is told to the person ("No pudimos enviar el
// código ahora") and was written only to the log: nothing counted it, so
// no alert fired while nobody with a verified e-mail could recover their
// key (a resilience probe, SMTP down through serve). Each code the relay
// did not take is counted, by purpose, as code_unsent.
func TestCodeNotSentIsCounted(t *testing.T) {
	rec := &events{}
	box := &codeBox{}
	h := newHarness(t, dialog.WithCodeSender(box), dialog.WithRecorder(rec))
	verifiedEmail(h, box)
	box.fail = errs.E(errs.Unavailable, "smtp", errors.New("connection refused"))
	const chat = "down"
	if rs := toFactor(h, chat); !has(rs, i18n.M("code.unavailable")) {
		t.Fatalf("relay down:\n%s", h.dump(rs))
	}
	h.step(chat, "reenviar", dialog.ExpectCode, i18n.M("code.unavailable"))
	got := rec.named("code_unsent")
	if len(got) != 2 || got[0].Intent != string(registry.CodeFactor) {
		t.Fatalf("codes not sent counted: %+v, want 2 of intent %q", got, registry.CodeFactor)
	}
	if sent := rec.named("code_sent"); len(sent) != 1 { // the setup's
		t.Errorf("codes sent counted: %+v, want the setup's only", sent)
	}
}
