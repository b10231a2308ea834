package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestPlaceBeforeDeskKeepsNoData: the data typed with a request, before
// the CUIL ("soy María Belén Gómez Ruiz dni 31456789 nací el 14/3/85 y
// quiero crear la clave"), wait in the chat's state for the CUIL, in
// clear, for the idle timeout at most (15 min, and 5 of grace). fe15522
// kept the place a hand-over left beside the desk's line, whose state
// Redis keeps for a week (queueTTL: the line waits over a weekend): the
// names, the DNI and the birth date stayed there, in clear, for as long,
// though the place is gone back to within the idle timeout only. Before
// that commit the line's state held none of them. The place keeps no
// data typed now; coming back, the person types them again.
func TestPlaceBeforeDeskKeepsNoData(t *testing.T) {
	h := newHarness(t, dialog.WithDesk(&fakeDesk{}))
	h.step("c", "hola", dialog.ExpectMenu)
	h.step("c", "soy María Belén Gómez Ruiz dni 31456789 nací el 14/3/85 y quiero crear la clave", dialog.ExpectCUIL)
	h.step("c", "hablar con una persona", dialog.ExpectText, i18n.M("handoff.queued"))
	raw := string(h.store.Raw("c"))
	for _, datum := range []string{"31456789", "1985-03-14", "14/03/1985", "Belén", "Gómez"} {
		if strings.Contains(raw, datum) {
			t.Errorf("the line's state holds %q: %s", datum, raw)
		}
	}
	// Back at the CUIL, the data are asked again.
	h.step("c", "cancelar", dialog.ExpectCUIL, i18n.M("handoff.back"))
	h.step("c", maria, dialog.ExpectFirstNames)
}
