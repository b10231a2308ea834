package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestYesBeforeTheFirstNames: "sí, Lucía Soledad" where the first names
// are asked got "Eso no parece un nombre" (a words probe): the person
// answers the request for their name with a yes and then the names. Two
// known given names or more after the yes are the first names; the data
// that follow match.
func TestYesBeforeTheFirstNames(t *testing.T) {
	for _, text := range []string{"sí, María Belén", "si maria belen", "dale: María Belén"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "crear clave", dialog.ExpectCUIL)
			h.step("c", maria, dialog.ExpectFirstNames)
			h.step("c", text, dialog.ExpectLastNames)
			h.step("c", "Gómez Ruiz", dialog.ExpectBirthDate)
			h.step("c", "14/03/1985", dialog.ExpectDNI)
			h.step("c", "31456789", dialog.ExpectChoice)
		})
	}
}
