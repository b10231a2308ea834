package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestFirstNamesBesideALabelledSurname: "María Belén y mi apellido es
// Gómez Ruiz" and "María Belén, apellido Gómez Ruiz" typed where the first
// names are asked took the surname ("Anoté tu apellido") and asked the
// first names again, the ones just typed (a data probe). The run of names
// the surname's label leaves is the first names.
func TestFirstNamesBesideALabelledSurname(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{
		"María Belén y mi apellido es Gómez Ruiz", "María Belén, apellido Gómez Ruiz",
		"MARIA BELEN, mi apellido: GOMEZ RUIZ",
	} {
		chat := "labelled-surname-" + string(rune('a'+i))
		h.toFirstNamesStep(chat)
		h.step(chat, text, dialog.ExpectBirthDate, i18n.M("data.taken"))
		h.step(chat, "14/03/1985", dialog.ExpectDNI)
		h.step(chat, "31456789", dialog.ExpectChoice)
	}
}
