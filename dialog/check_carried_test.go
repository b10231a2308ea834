package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestCheckTakesTheDataNotedWithTheCUIL: a CUIL typed at the menu, then
// the DNI where the bot asks what that CUIL is for ("Anoté tu DNI"), then
// «Revisar ese CUIL en el sistema»: the check asked the DNI again, the
// datum it had just said it noted (a people probe). It is taken as the
// flows take it, and only the birth date is asked.
func TestCheckTakesTheDataNotedWithTheCUIL(t *testing.T) {
	for _, tc := range []struct {
		name  string
		data  []string
		taken bool
	}{
		{"dni after the cuil", []string{"31456789"}, true},
		{"dni with the cuil", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			cuil := maria
			if tc.data == nil {
				cuil += " 31456789"
			}
			h.step("c", cuil, dialog.ExpectChoice, i18n.M("cuil.what"))
			for _, d := range tc.data {
				h.step("c", d, dialog.ExpectChoice)
			}
			rs := h.step("c", "4", dialog.ExpectBirthDate, i18n.M("check.prove"), i18n.M("ask.birth_date"))
			if has(rs, i18n.M("ask.dni")) {
				t.Fatalf("the DNI noted was asked again:\n%s", h.dump(rs))
			}
			h.step("c", "14/03/1985", dialog.ExpectChoice)
		})
	}
}
