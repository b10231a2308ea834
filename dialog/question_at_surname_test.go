package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestQuestionAtTheSurnameIsNoSurname: "es gratis?" where the surname is
// asked was taken as the surname («¿Cuál es tu fecha de nacimiento?»
// next), and so were "cuesta plata?" and "es obligatorio?" (a people
// probe): the surname typed after it was then read as no date, and the
// wrong one would have been judged and the mismatch counted. At the first
// names the same question was heard, as no given name opens it. A
// question at the names (a mark and a question's first word, two words or
// more) is a question; the place is kept, and the surname typed next is
// taken. A surname that is a question's word alone ("¿Cuesta?") is still
// the surname.
func TestQuestionAtTheSurnameIsNoSurname(t *testing.T) {
	for _, text := range []string{"es gratis?", "cuesta plata?", "es obligatorio?", "¿Hay que pagar algo?",
		"¿Por qué?", "tiene costo?"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			h.toFirstNamesStep("c")
			h.step("c", "María Belén", dialog.ExpectLastNames)
			h.step("c", text, dialog.ExpectLastNames, i18n.M("ask.last_names"))
			h.step("c", "Gómez Ruiz", dialog.ExpectBirthDate)
			h.step("c", "14/03/1985", dialog.ExpectDNI)
			h.step("c", "31456789", dialog.ExpectChoice, i18n.M("questions.intro"))
		})
	}
}
