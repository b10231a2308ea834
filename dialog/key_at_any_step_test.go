package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestKeyTypedAloneAtAStepThatAsksNone: a key typed alone where the bot
// asks something else (the first message, the CUIL, a personal datum, an
// identity question, a yes/no) is never read as what the step asks, nor as
// a request ("Recupero2030e" started recovering, or offered to leave the
// flow for it): the person is told it looks like a key, not to type it
// there, and the step is asked again. It is kept nowhere in clear.
func TestKeyTypedAloneAtAStepThatAsksNone(t *testing.T) {
	const key = "Recupero2030e"
	tests := []struct {
		name   string
		chat   string
		setup  func(h *harness, chat string)
		expect dialog.Expect
		said   i18n.Key
		then   func(h *harness, chat string)
	}{
		{"first message", "first", func(*harness, string) {}, dialog.ExpectMenu, "menu.key_typed", nil},
		{"create's CUIL", "cuil", func(h *harness, c string) {
			h.step(c, "hola", dialog.ExpectMenu)
			h.step(c, "1", dialog.ExpectCUIL)
		}, dialog.ExpectCUIL, "input.key_typed", func(h *harness, c string) {
			// Still creating: the names come next, not recovery's DNI.
			h.step(c, maria, dialog.ExpectFirstNames)
		}},
		{"birth date", "date", (*harness).toBirthDateStep, dialog.ExpectBirthDate, "input.key_typed", nil},
		{"DNI", "dni", (*harness).toDNIStep, dialog.ExpectDNI, "input.key_typed", nil},
		{"identity question", "question", func(h *harness, c string) {
			h.toDNIStep(c)
			h.step(c, "31.456.789", dialog.ExpectChoice, question1)
		}, dialog.ExpectChoice, "input.key_typed", func(h *harness, c string) {
			h.answerQuestions(c, maria, false)
		}},
		{"create it now?", "offer", func(h *harness, c string) {
			h.step(c, "hola", dialog.ExpectMenu)
			h.step(c, "2", dialog.ExpectCUIL)
			h.step(c, ana, dialog.ExpectDNI)
			h.step(c, "35999888", dialog.ExpectBirthDate)
			h.step(c, "25/07/1990", dialog.ExpectChoice, i18n.M("key.none_yet"))
		}, dialog.ExpectChoice, "input.key_typed", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.setup(h, tt.chat)
			rs := h.step(tt.chat, key, tt.expect, i18n.M(tt.said))
			if has(rs, i18n.M("offer.switch")) || has(rs, i18n.M("recover.intro")) {
				t.Fatalf("the key was read as a request:\n%s", h.dump(rs))
			}
			if tt.then != nil {
				tt.then(h, tt.chat)
			}
			for what, text := range map[string]string{"transcript": h.store.Lines(tt.chat), "state": string(h.store.Raw(tt.chat))} {
				if strings.Contains(text, "2030e") {
					t.Errorf("the stored %s holds the key:\n%s", what, text)
				}
			}
		})
	}
}
