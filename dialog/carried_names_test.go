package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesTypedBeforeTheFlowAreKept: the names typed with the CUIL at
// the menu ("María Belén Gómez Ruiz 20-…"), where the bot asks what the
// CUIL is for ("María Belén Gómez Ruiz 14/03/1985") or with the DNI and
// the birth date before any flow ("soy María Belén Gómez Ruiz, dni …,
// nací el …") were dropped, and asked again once creating was chosen,
// where the DNI and the date typed with them were kept (a data probe).
// A full name in a list of data is kept with them, for the flow chosen.
func TestNamesTypedBeforeTheFlowAreKept(t *testing.T) {
	h := newHarness(t)
	h.step("with-cuil", "hola", dialog.ExpectMenu)
	h.step("with-cuil", "María Belén Gómez Ruiz 20-31456789-8", dialog.ExpectChoice, i18n.M("cuil.what"))
	h.step("with-cuil", "1", dialog.ExpectBirthDate, i18n.M("data.taken"))
	h.step("with-cuil", "14/03/1985", dialog.ExpectDNI)
	h.step("with-cuil", "31456789", dialog.ExpectChoice)

	h.step("at-action", "hola", dialog.ExpectMenu)
	h.step("at-action", maria, dialog.ExpectChoice, i18n.M("cuil.what"))
	h.step("at-action", "María Belén Gómez Ruiz, nací el 14/03/1985", dialog.ExpectChoice, i18n.M("data.taken"), i18n.M("cuil.what"))
	h.step("at-action", "1", dialog.ExpectDNI, i18n.M("data.taken"))
	h.step("at-action", "31456789", dialog.ExpectChoice)

	h.step("at-menu", "hola", dialog.ExpectMenu)
	h.step("at-menu", "soy María Belén Gómez Ruiz, dni 31.456.789, nací el 14/03/1985", dialog.ExpectMenu, i18n.M("data.taken"))
	h.step("at-menu", "1", dialog.ExpectCUIL)
	// Said noted when typed, not again once the CUIL came.
	if rs := h.step("at-menu", maria, dialog.ExpectChoice); has(rs, i18n.M("data.taken")) {
		t.Errorf("said noted again:\n%s", h.dump(rs))
	}
}
