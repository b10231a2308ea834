package dialog_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// reminders records what the engine asks to be told later.
type reminders struct {
	mu  sync.Mutex
	got []string
}

func (r *reminders) Remind(_ context.Context, chat string, at time.Time, m i18n.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, chat+" "+at.UTC().Format(time.RFC3339)+" "+string(m.Key))
	return nil
}

func TestLockoutOffersAReminder(t *testing.T) {
	rem := &reminders{}
	h := newHarness(t, dialog.WithReminders(rem))
	var rs []reply
	for _, chat := range []string{"a", "b", "c"} {
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "2", dialog.ExpectCUIL)
		h.step(chat, ana, dialog.ExpectChoice, "todavía no tiene una clave")
		h.step(chat, "si", dialog.ExpectFirstNames)
		h.send(chat, "Ana")
		h.send(chat, "López")
		h.send(chat, "25/07/1990")
		rs = h.send(chat, "11111111")
	}
	if opts := rs[len(rs)-1].Options; len(opts) == 0 || opts[0] != "Avisame cuando pueda" {
		t.Fatalf("lockout options %q", opts)
	}
	h.step("c", "1", dialog.ExpectMenu, "te escribo el 24/11/2026 a las 16:00")
	if len(rem.got) != 1 || rem.got[0] != "c 2026-11-24T19:00:00Z reminder.try_again" {
		t.Fatalf("reminders %v", rem.got)
	}
}

func TestBackAndDeclinedOffers(t *testing.T) {
	h := newHarness(t)
	const chat = "back"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, "volver", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectFirstNames)
	h.step(chat, "volver", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectFirstNames)
	h.step(chat, "María Belén", dialog.ExpectLastNames)
	h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step(chat, "14/03/1985", dialog.ExpectDNI)
	h.step(chat, "31456789", dialog.ExpectChoice, "Pregunta 1 de 3")
	h.step(chat, "1", dialog.ExpectChoice, "Pregunta 2 de 3")
	h.step(chat, "volver", dialog.ExpectChoice, "Pregunta 1 de 3")
	rs := h.answerQuestions(chat, maria, false)
	if !strings.Contains(dump(rs), "validamos tu identidad") {
		t.Fatalf("answering again after «volver» did not validate:\n%s", dump(rs))
	}
	h.step(chat, "volver", dialog.ExpectNewKey, "ya está validada")
	// At a key step, text is read as a key, never as a question or a
	// request: it is only checked against the key rules.
	res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "k", Text: "quiero otra", Channel: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if rs := h.render(res.Replies); !res.Secret || !strings.Contains(dump(rs), "al menos un número") {
		t.Fatalf("secret=%v:\n%s", res.Secret, dump(rs))
	}
}

func TestTroubleshootingShowsALockout(t *testing.T) {
	h := newHarness(t)
	for _, chat := range []string{"a", "b", "c"} {
		h.failValidation(chat)
	}
	const chat = "check"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "Tengo un problema", dialog.ExpectChoice)
	h.step(chat, "Estoy bloqueado", dialog.ExpectChoice, "revise tu CUIL")
	h.step(chat, "si", dialog.ExpectCUIL)
	h.step(chat, ana, dialog.ExpectDNI, "confirmar que es tuyo")
	h.step(chat, "35999888", dialog.ExpectBirthDate)
	h.step(chat, "25/07/1990", dialog.ExpectChoice, "bloqueada hasta el 24/11/2026 a las 16:00", "Todavía no tiene una clave")
}
