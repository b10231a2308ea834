package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBirthDateAloneAtTheCUILsChoice: a date typed alone where the bot asks
// what a CUIL is for got «Gracias. Primero elegí…» and was asked again
// once the flow was chosen (a people probe), while a DNI alone there is
// noted. A date alone, in its own message, is kept as the birth date; the
// flow chosen skips asking it. A date typed with the CUIL, copied from the
// card (TestDataTypedWithTheCUILAtTheMenu), is still not.
func TestBirthDateAloneAtTheCUILsChoice(t *testing.T) {
	for _, date := range []string{"14/03/1985", "14 de marzo de 1985", "1985-03-14"} {
		t.Run(date, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", maria, dialog.ExpectChoice, i18n.M("cuil.what"))
			rs := h.step("c", date, dialog.ExpectChoice, i18n.M("data.taken"), i18n.M("data.choose_first_cuil_kept"))
			if has(rs, i18n.M("data.choose_first_cuil")) {
				t.Fatalf("thanked and not kept:\n%s", h.dump(rs))
			}
			h.step("c", "1", dialog.ExpectFirstNames, i18n.M("create.checklist"))
			h.step("c", "María Belén", dialog.ExpectLastNames)
			h.step("c", "Gómez Ruiz", dialog.ExpectDNI)
		})
	}
}
