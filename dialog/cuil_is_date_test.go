package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestDateWhereTheCUILIsAsked: a date typed where the CUIL is asked
// ("21/07/1990", the birth date people have at hand) got "El CUIL tiene 11
// números. Revisalo…", as if a CUIL had been mistyped (a words probe).
// It is said to look like a date, as a DNI there is said to look like a
// DNI, and the CUIL asked.
func TestDateWhereTheCUILIsAsked(t *testing.T) {
	for _, typed := range []string{"14/03/1985", "14-3-85", "14 de marzo de 1985", "14.03.1985"} {
		t.Run(typed, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", "1", dialog.ExpectCUIL)
			rs := h.step("c", typed, dialog.ExpectCUIL, i18n.M("cuil.is_date"))
			if has(rs, i18n.M("cuil.length")) {
				t.Fatalf("told the CUIL's length:\n%s", h.dump(rs))
			}
			h.step("c", maria, dialog.ExpectFirstNames)
		})
	}
}
