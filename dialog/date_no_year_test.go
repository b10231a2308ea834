package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBirthDateWithoutTheYear: "21/07" where the birth date is asked got
// «No pude leer esa fecha. Escribila como día/mes/año…» (a people probe):
// the day and the month were read well, and the person is left to guess
// what is wrong. It says the year is missing; the whole date is taken
// next, as before.
func TestBirthDateWithoutTheYear(t *testing.T) {
	for _, text := range []string{"14/03", "14-3", "14 / 03", "14 de marzo"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			h.toBirthDateStep("c")
			rs := h.step("c", text, dialog.ExpectBirthDate, i18n.M("date.no_year"), i18n.M("ask.birth_date"))
			if has(rs, i18n.M("date.format")) {
				t.Fatalf("told it could not be read:\n%s", h.dump(rs))
			}
			h.step("c", "14/03/1985", dialog.ExpectDNI)
		})
	}
}
