package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesSaidWithTheCUILAtTheMenu: "hola soy María Belén Gómez Ruiz mi
// cuil es 20-…" as a first message (no request yet) is asked what the
// CUIL is for; once creating was chosen the names were asked again (a
// people probe, on the demo with "hola soy ramon quiroga sanchez mi cuil
// es 20126043377"). The names the person says are theirs come with the
// CUIL, as with a request ("me llamo … y quiero crear mi clave") or in a
// list of data: the flow chosen skips them.
func TestNamesSaidWithTheCUILAtTheMenu(t *testing.T) {
	for _, text := range []string{"hola soy María Belén Gómez Ruiz mi cuil es " + maria,
		"Buenas, me llamo maria belen gomez ruiz, mi cuil es " + maria,
		"hola, mi nombre es María Belén Gómez Ruiz. CUIL " + maria} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", text, dialog.ExpectChoice, i18n.M("cuil.what"))
			h.step("c", "1", dialog.ExpectBirthDate, i18n.M("create.checklist"))
			h.step("c", "14/03/1985", dialog.ExpectDNI)
			h.step("c", "31456789", dialog.ExpectChoice, i18n.M("questions.intro"))
		})
	}
}
