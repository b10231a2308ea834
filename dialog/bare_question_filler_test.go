package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBareQuestionAfterAFillerIsTheSteps: "y donde lo encuentro" where
// the CUIL is asked, right after "¿qué es el cuil?", got «El CUIL tiene
// 11 números. Revisalo y escribilo de nuevo», as if one had been
// mistyped (a people probe), where "donde lo encuentro" gets where the
// CUIL is found. A filler before a bare question ("y", "pero", "che")
// keeps it the step's question.
func TestBareQuestionAfterAFillerIsTheSteps(t *testing.T) {
	for _, q := range []string{"y donde lo encuentro", "pero donde lo veo", "che y como lo saco"} {
		t.Run(q, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", "1", dialog.ExpectCUIL)
			rs := h.step("c", q, dialog.ExpectCUIL, i18n.M("faq.answer.cuil.find"))
			if has(rs, i18n.M("cuil.length")) {
				t.Errorf("%q: %s", q, h.dump(rs))
			}
		})
	}
}
