package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestHowMuchIsLeftIsAnswered: a person in a hurry asking "falta mucho?"
// where the names are asked was told to write only what is on the DNI,
// without signs; "falta mucho" at the birth date that the date could not
// be read; "cuanto falta?" that the question could not be answered (a
// people probe). How much is left is how long it takes: answered, and the
// step's question asked again, its place kept.
func TestHowMuchIsLeftIsAnswered(t *testing.T) {
	steps := []struct {
		name   string
		to     func(h *harness, chat string)
		expect dialog.Expect
	}{
		{"first names", (*harness).toFirstNamesStep, dialog.ExpectFirstNames},
		{"birth date", (*harness).toBirthDateStep, dialog.ExpectBirthDate},
		{"dni", (*harness).toDNIStep, dialog.ExpectDNI},
		{"identity question", func(h *harness, chat string) {
			h.toDNIStep(chat)
			h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
		}, dialog.ExpectChoice},
	}
	for _, s := range steps {
		for i, text := range []string{"falta mucho?", "falta mucho", "cuanto falta?", "ya casi terminamos?", "listo ya esta?", "¿ya terminé?"} {
			t.Run(fmt.Sprintf("%s/%s", s.name, text), func(t *testing.T) {
				h := newHarness(t)
				chat := fmt.Sprintf("%s-%d", s.name, i)
				s.to(h, chat)
				rs := h.step(chat, text, s.expect, i18n.M("faq.answer.key.duration"))
				if got := last(rs).Expect; got != s.expect {
					t.Errorf("%q lost the step:\n%s", text, h.dump(rs))
				}
			})
		}
	}
}
