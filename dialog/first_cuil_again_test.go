package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestFirstCUILAgainKeepsTheFlow: at «Ese es otro CUIL (…). ¿Querés
// empezar de nuevo con ese?», the CUIL the flow was begun with typed
// again ("no, mi cuil es el primero") started the flow over with it: the
// checklist, the first names asked again, the names and the birth date
// given lost (a data probe). That CUIL is the no: the flow goes on where
// it was. The other CUIL typed is still the yes.
func TestFirstCUILAgainKeepsTheFlow(t *testing.T) {
	h := newHarness(t)
	h.toDNIStep("first-again")
	h.step("first-again", juan, dialog.ExpectChoice, i18n.M("offer.other_cuil"))
	rs := h.step("first-again", maria, dialog.ExpectDNI, i18n.M("offer.declined"))
	if has(rs, i18n.M("create.checklist")) {
		t.Fatalf("started over:\n%s", h.dump(rs))
	}
	h.step("first-again", "31456789", dialog.ExpectChoice)

	h.toDNIStep("other-again")
	h.step("other-again", juan, dialog.ExpectChoice, i18n.M("offer.other_cuil"))
	h.step("other-again", juan, dialog.ExpectFirstNames, i18n.M("create.checklist"))
}
