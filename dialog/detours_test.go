package dialog_test

import (
	"context"
	"fmt"
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
	var rs []dialog.Reply
	for _, chat := range []string{"a", "b", "c"} {
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "2", dialog.ExpectCUIL)
		h.step(chat, ana, dialog.ExpectDNI)
		h.send(chat, "35999888")
		rs = h.send(chat, "26/07/1990")
	}
	if opts := last(rs).Options; len(opts) == 0 || opts[0].Key != "option.remind_me" {
		t.Fatalf("lockout options %v", optionKeys(rs))
	}
	h.step("c", "1", dialog.ExpectMenu, i18n.M("reminder.set", "until", argentina4pm))
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
	h.step(chat, "31456789", dialog.ExpectChoice, question1)
	h.step(chat, "1", dialog.ExpectChoice, i18n.M("question.*", "n", 2))
	h.step(chat, "volver", dialog.ExpectChoice, question1)
	rs := h.answerQuestions(chat, maria, false)
	if !has(rs, i18n.M("questions.ok")) {
		t.Fatalf("answering again after «volver» did not validate:\n%s", h.dump(rs))
	}
	h.step(chat, "volver", dialog.ExpectNewKey, i18n.M("back.validated"))
	// At a key step, text is read as a key, never as a question or a
	// request: it is only checked against the key rules.
	res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: "k", Text: "quiero otra", Channel: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Secret || !has(res.Replies, i18n.M("key.rule.digit")) {
		t.Fatalf("secret=%v:\n%s", res.Secret, h.dump(res.Replies))
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
	h.step(chat, "Tengo la clave bloqueada", dialog.ExpectChoice, i18n.M("trouble.offer_check"))
	h.step(chat, "si", dialog.ExpectCUIL)
	h.step(chat, ana, dialog.ExpectDNI, i18n.M("check.prove"))
	h.step(chat, "35999888", dialog.ExpectBirthDate)
	// The lock, as the flows tell it, whatever the data (see
	// TestLockedCUILCheckJudgesNothing).
	h.step(chat, "25/07/1990", dialog.ExpectChoice, i18n.M("lock.validation", "until", argentina4pm))
}

// People leave in more words than «cancelar»: at a data step "cancelá",
// "salir" or "ya está, cancelar" were read as a first name or a datum,
// and ended in a failed validation that counted (found by hand).
func TestLeaveInOwnWords(t *testing.T) {
	h := newHarness(t)
	for i, tt := range []struct {
		text string
		want i18n.Key
	}{
		{"cancelá", "cancel.done"}, {"Salir", "cancel.done"},
		{"ya está, cancelar", "cancel.done"}, {"quiero salir", "cancel.done"},
		{"no quiero seguir", "cancel.done"}, {"Volver al menú", "menu.ask"},
		{"salir del chat", "cancel.done"}, {"me quiero ir", "cancel.done"}, {"volvamos al menú", "menu.ask"},
	} {
		chat := fmt.Sprintf("leave-%d", i)
		h.toFirstNamesStep(chat)
		rs := h.step(chat, tt.text, dialog.ExpectMenu)
		if !has(rs, i18n.M(tt.want)) {
			t.Errorf("%q at the first names: %+v, want %s", tt.text, rs, tt.want)
		}
	}
	// A name is still a name, and "volvé" at the surnames goes back.
	h.toFirstNamesStep("leave-names")
	h.step("leave-names", "Luz", dialog.ExpectLastNames)
	h.step("leave-names", "volvé", dialog.ExpectFirstNames)
	h.step("leave-names", "Luz", dialog.ExpectLastNames)
	h.step("leave-names", "volvé atrás", dialog.ExpectFirstNames)
	// Leave words that are also surnames are not (found by re-probing:
	// Basta, Stop, Terminar cancelled): they offer to leave, and a "no"
	// takes them as the name.
	h.step("leave-names", "Luz", dialog.ExpectLastNames)
	h.step("leave-names", "Basta", dialog.ExpectChoice, i18n.M("offer.leave"))
	h.step("leave-names", "no", dialog.ExpectLastNames)
	h.step("leave-names", "Basta", dialog.ExpectBirthDate)
	// "Empezar de nuevo" at a data step is the menu, never a name.
	h.step("leave-names", "empezar de nuevo", dialog.ExpectMenu)
	// Conversation at the names is no name ("y bueno" was first names).
	h.toFirstNamesStep("passing")
	for _, text := range []string{"y bueno", "dale", "ok"} {
		h.step("passing", text, dialog.ExpectFirstNames, i18n.M("ask.first_names"))
	}
	h.step("passing", "Bueno", dialog.ExpectLastNames)
	// An offer answered "no sé" is asked again, not dropped.
	h.step("passing", "me olvidé la clave", dialog.ExpectChoice, i18n.M("offer.switch"))
	h.step("passing", "no sé", dialog.ExpectChoice, i18n.M("offer.switch"))
	h.step("passing", "no", dialog.ExpectLastNames)
	// Without a desk, asking for a person keeps the place.
	h.step("passing", "quiero hablar con una persona", dialog.ExpectLastNames, i18n.M("handoff.unavailable"))
}

// lockRecovery fails Ana's recovery in three chats, the last of which is
// left at the lockout's options.
func lockRecovery(h *harness) {
	h.t.Helper()
	for _, chat := range []string{"lock1", "lock2", "locked"} {
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "2", dialog.ExpectCUIL)
		h.step(chat, ana, dialog.ExpectDNI)
		h.send(chat, "35999888")
		h.send(chat, "26/07/1990")
	}
}

// At the lockout of validation, "¿por qué me bloquearon?" got the answer
// on the key's lock (5 wrong keys, 30 minutes, recover to unlock), and
// recovery is what this person cannot do; "¿cuánto tengo que esperar?"
// got "elegí una de las opciones" (found by a probe). The answer is
// about their lock, and until when; "notify me" is the reminder.
func TestValidationLockExplainedAtItsOptions(t *testing.T) {
	why := i18n.M("lock.why", "until", argentina4pm, "validations", 3, "validation_hours", 4)
	until := i18n.M("lock.validation", "until", argentina4pm)
	tests := []struct {
		text   string
		expect dialog.Expect
		want   i18n.Message
	}{
		{"por que me bloquearon?", dialog.ExpectChoice, why},
		{"estoy bloqueado", dialog.ExpectChoice, why},
		{"why was I blocked?", dialog.ExpectChoice, why},
		{"cuanto tengo que esperar?", dialog.ExpectChoice, until},
		{"hasta cuándo?", dialog.ExpectChoice, until},
		{"cuándo puedo volver a intentar?", dialog.ExpectChoice, until},
		{"how long do I have to wait?", dialog.ExpectChoice, until},
		{"notify me", dialog.ExpectMenu, i18n.M("reminder.set", "until", argentina4pm)},
		{"avisame cuando se desbloquee", dialog.ExpectMenu, i18n.M("reminder.set", "until", argentina4pm)},
		{"let me know when I can", dialog.ExpectMenu, i18n.M("reminder.set", "until", argentina4pm)},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t, dialog.WithReminders(&reminders{}))
			lockRecovery(h)
			rs := h.step("locked", tt.text, tt.expect, tt.want)
			if has(rs, i18n.M("faq.answer.error.blocked")) || has(rs, i18n.M("choice.invalid")) {
				t.Fatalf("not about the lock the person has:\n%s", h.dump(rs))
			}
		})
	}
	// Asking about a mail or an office's turn is neither the reminder nor
	// the lock's end (a regression probe).
	for _, text := range []string{"¿me avisan por mail?", "¿cuánto tiempo tarda el turno?", "¿cuándo puedo ir a la oficina?"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t, dialog.WithReminders(&reminders{}))
			lockRecovery(h)
			rs := h.send("locked", text)
			if has(rs, i18n.M("reminder.set")) || has(rs, until) {
				t.Fatalf("read as the reminder or the lock's end:\n%s", h.dump(rs))
			}
		})
	}
}

// "Tengo la clave bloqueada" of the troubleshooting menu told only the key's lock,
// never the 4 hours after failed validations, which also block recovery.
func TestBlockedTellsBothLocks(t *testing.T) {
	h := newHarness(t)
	h.step("trouble", "hola", dialog.ExpectMenu)
	h.step("trouble", "4", dialog.ExpectChoice)
	shown := h.shown(h.send("trouble", "Tengo la clave bloqueada"))
	for _, w := range []string{"5 veces", "30 minutos", "3 validaciones", "4 horas", "oficina", "30 minutes", "4 hours", "office"} {
		if !strings.Contains(shown, w) {
			t.Errorf("the answer does not say %q:\n%s", w, shown)
		}
	}
}

// Small things of a probe of people's words: "volver" at the CUIL of the
// troubleshooting check went to the main menu, not the question before;
// two CUILs in one message took one unsaid (which is asked); the bot said
// "Cuando estés listo" and offered "Estoy bloqueado": neutral words now,
// and the old label typed still chooses the topic.
func TestTroubleBackTwoCUILsAndNeutralWords(t *testing.T) {
	h := newHarness(t)
	h.step("back", "hola", dialog.ExpectMenu)
	h.step("back", "4", dialog.ExpectChoice, i18n.M("trouble.ask"))
	h.step("back", "5", dialog.ExpectChoice, i18n.M("trouble.offer_check"))
	h.step("back", "si", dialog.ExpectCUIL)
	h.step("back", "volver", dialog.ExpectChoice, i18n.M("trouble.ask"))
	h.step("back", "estoy bloqueado", dialog.ExpectChoice, i18n.M("trouble.offer_check"))

	two := maria + " y " + juan
	h.step("two", "hola", dialog.ExpectMenu)
	h.step("two", "1", dialog.ExpectCUIL)
	h.step("two", two, dialog.ExpectCUIL, i18n.M("cuil.which"))
	h.step("two", maria, dialog.ExpectFirstNames)
	h.step("two-menu", "hola", dialog.ExpectMenu)
	h.step("two-menu", two, dialog.ExpectMenu, i18n.M("cuil.which"))
	h.step("two-first", two, dialog.ExpectMenu, i18n.M("cuil.which"))
	h.step("same-twice", "hola", dialog.ExpectMenu)
	h.step("same-twice", "1", dialog.ExpectCUIL)
	h.step("same-twice", maria+" es "+strings.ReplaceAll(maria, "-", ""), dialog.ExpectFirstNames)

	for lang, words := range map[i18n.Lang][]string{i18n.ES: {"estés listo", "Estoy bloqueado"}, i18n.EN: {"you're ready", "I'm locked"}} {
		p := h.cat.Printer(lang)
		shown := p.Sprint(i18n.M("key.not_a_key", "min", 8, "max", 15)) + p.Sprint(i18n.M("trouble.blocked"))
		for _, w := range words {
			if strings.Contains(shown, w) {
				t.Errorf("%s says %q: %s", lang, w, shown)
			}
		}
	}
}
