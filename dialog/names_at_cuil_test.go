package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesWhereTheCUILIsAsked: "Lucía Soledad" or "LUCIA SOLEDAD
// FERNANDEZ" typed where the CUIL is asked got "El CUIL tiene 11 números.
// Revisalo y escribilo de nuevo", as if a CUIL had been mistyped (a data
// probe). Names there are told they come after the CUIL; a word that is
// no name keeps the CUIL's hint.
func TestNamesWhereTheCUILIsAsked(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"María Belén", "MARIA BELEN GOMEZ RUIZ", "María Belén Gómez Ruiz."} {
		chat := "names-at-cuil-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "1", dialog.ExpectCUIL)
		rs := h.step(chat, text, dialog.ExpectCUIL, i18n.M("cuil.names_later"), i18n.M("ask.cuil"))
		if has(rs, i18n.M("cuil.length")) {
			t.Errorf("%q:\n%s", text, h.dump(rs))
		}
		h.step(chat, maria, dialog.ExpectFirstNames)
	}
	h.step("not-names", "hola", dialog.ExpectMenu)
	h.step("not-names", "1", dialog.ExpectCUIL)
	h.step("not-names", "uh", dialog.ExpectCUIL, i18n.M("cuil.length"))
}
