package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestWhatIfNotKnown: "¿qué pasa si no me acuerdo la fecha?" where the
// birth date is asked got the answer about failed validations ("tenés que
// esperar 4 horas… mirá tu DNI (la fecha de emisión)"), not where the
// date is (a words probe): "no me acuerdo la fecha" is read as not
// knowing it, and so is the question "what if" of it.
func TestWhatIfNotKnown(t *testing.T) {
	for _, tc := range []struct {
		text string
		dni  bool // asked at the DNI, else at the birth date
		want i18n.Key
	}{
		{"¿qué pasa si no me acuerdo la fecha?", false, "date.not_known"},
		{"que hago si no me acuerdo la fecha de nacimiento", false, "date.not_known"},
		{"y si no la sé?", false, "date.not_known"},
		{"what if I don't remember it?", false, "date.not_known"},
		{"¿qué hago si no tengo el dni?", true, "dni.not_known"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			h := newHarness(t)
			expect := dialog.ExpectBirthDate
			if tc.dni {
				h.toDNIStep("c")
				expect = dialog.ExpectDNI
			} else {
				h.toBirthDateStep("c")
			}
			h.step("c", tc.text, expect, i18n.M(tc.want))
		})
	}
}
