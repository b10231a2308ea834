package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesWithThanks: "Luz, gracias" where the first names are asked got
// "¡De nada!" and the names asked again (a words probe): the thanks after
// known given names are courtesy. What is left of "bueno gracias" is
// still no name.
func TestNamesWithThanks(t *testing.T) {
	for _, typed := range []string{"María Belén, gracias", "maria belen muchas gracias!", "María Belén 🙏 gracias"} {
		t.Run(typed, func(t *testing.T) {
			h := newHarness(t)
			h.toFirstNamesStep("c")
			h.step("c", typed, dialog.ExpectLastNames)
			h.step("c", "Gómez Ruiz", dialog.ExpectBirthDate)
		})
	}
	h := newHarness(t)
	h.toFirstNamesStep("c")
	h.step("c", "bueno gracias", dialog.ExpectFirstNames, i18n.M("ask.first_names"))
}
