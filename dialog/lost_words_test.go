package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNotUnderstandingIsAnsweredAsLost: "no entendi nada" at the menu got
// «Eso no lo sé responder» (none, 0.97) and where the CUIL is asked «El
// CUIL tiene 11 números. Revisalo…»; "no sé cómo seguir" at the menu «Eso
// no lo sé responder» too (a people probe), where "no entiendo" and "me
// perdí" are answered as someone lost. Not understanding is being lost:
// the bot says it goes step by step with them, the step asked again; a
// question the classifier is sure of is still what is answered.
func TestNotUnderstandingIsAnsweredAsLost(t *testing.T) {
	lost := i18n.M("faq.answer.help.lost")
	for _, text := range []string{"no entendi nada", "no se como seguir", "no entiendo nada de esto", "no comprendo"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			h.step("m", "hola", dialog.ExpectMenu)
			rs := h.step("m", text, dialog.ExpectMenu, lost)
			if has(rs, i18n.M("faq.answer.none")) {
				t.Errorf("%q at the menu: %s", text, h.dump(rs))
			}
			if text == "no comprendo" {
				return // where the CUIL is asked it gets what the CUIL is, and where it is found
			}
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", "1", dialog.ExpectCUIL)
			rs = h.step("c", text, dialog.ExpectCUIL, lost)
			if has(rs, i18n.M("cuil.length")) {
				t.Errorf("%q at the CUIL: %s", text, h.dump(rs))
			}
		})
	}
}
