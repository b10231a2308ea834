package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestOneGivenNameBeforeTheFlow: "Néstor" where the bot asks what a CUIL
// typed at the menu is for got «Eso no lo sé responder», while "Lucía
// Soledad" there got «Gracias. Primero elegí qué querés hacer…» (a people
// probe): a person told, of their own name, that it cannot be answered.
// One word that is a given name is a name too; out of the blue it may be
// anything, so only a known given name counts.
func TestOneGivenNameBeforeTheFlow(t *testing.T) {
	h := newHarness(t)
	h.step("c", "hola", dialog.ExpectMenu)
	h.step("c", maria, dialog.ExpectChoice, i18n.M("cuil.what"))
	for _, name := range []string{"Néstor", "graciela", "Consuelo"} {
		rs := h.step("c", name, dialog.ExpectChoice, i18n.M("data.choose_first_cuil"))
		if has(rs, i18n.M("faq.answer.none")) {
			t.Fatalf("%q:\n%s", name, h.dump(rs))
		}
	}
	h.step("m", "hola", dialog.ExpectMenu)
	h.step("m", "Ramón", dialog.ExpectMenu, i18n.M("data.choose_first"))
}
