package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestAnInsultIsAnsweredCalmly: "la concha de tu madre" where the names
// are asked got «Parece que empezaste por el apellido», the insult read as
// names; "sos un boludo" where the CUIL is asked «El CUIL tiene 11
// números»; "sos un pelotudo" at the menu «Eso no lo sé responder» (a
// people probe). A person insulting the bot is frustrated: told calmly
// that it goes step by step with them and how to go on, the step kept,
// nothing taken as a datum.
func TestAnInsultIsAnsweredCalmly(t *testing.T) {
	lost := i18n.M("faq.answer.help.lost")
	tests := []struct {
		name, text string
		to         func(h *harness, chat string)
		expect     dialog.Expect
	}{
		{"menu", "sos un pelotudo", func(h *harness, c string) { h.step(c, "hola", dialog.ExpectMenu) }, dialog.ExpectMenu},
		{"cuil", "sos un boludo", func(h *harness, c string) {
			h.step(c, "hola", dialog.ExpectMenu)
			h.step(c, "1", dialog.ExpectCUIL)
		}, dialog.ExpectCUIL},
		{"first names", "la concha de tu madre", (*harness).toFirstNamesStep, dialog.ExpectFirstNames},
		{"birth date", "andate a la mierda", (*harness).toBirthDateStep, dialog.ExpectBirthDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.to(h, "c")
			rs := h.step("c", tt.text, tt.expect, lost)
			if has(rs, i18n.M("names.surname_first")) || has(rs, i18n.M("faq.answer.none")) {
				t.Errorf("%q: %s", tt.text, h.dump(rs))
			}
		})
	}
	// Said with a request, the request is what is answered.
	h := newHarness(t)
	h.step("r", "hola", dialog.ExpectMenu)
	h.step("r", "che boludo me olvide la clave", dialog.ExpectCUIL, i18n.M("recover.intro"))
}
