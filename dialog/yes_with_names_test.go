package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestYesWithNamesToCreateTakesThem: "sí, Lucía Soledad Fernández" to
// «Ese CUIL todavía no tiene una clave. ¿Querés crearla ahora?» started
// the creation and asked the first names just typed (a words probe):
// the names said with the yes are the full name the creation asks next.
func TestYesWithNamesToCreateTakesThem(t *testing.T) {
	for _, tc := range []struct{ name, cuil, dni, date, yes string }{
		{"comma", maria, "31456789", "14/03/1985", "sí, María Belén Gómez Ruiz"},
		{"no accents", maria, "31456789", "14/03/1985", "si maria belen gomez ruiz"},
		{"soy", ana, "35999888", "25/07/1990", "si soy Ana Lopez"},
		{"dale", ana, "35999888", "25/07/1990", "dale, Ana López"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "me olvidé la clave", dialog.ExpectCUIL)
			h.step("c", tc.cuil, dialog.ExpectDNI)
			h.step("c", tc.dni, dialog.ExpectBirthDate)
			h.step("c", tc.date, dialog.ExpectChoice, i18n.M("key.none_yet"))
			h.step("c", tc.yes, dialog.ExpectChoice, i18n.M("data.taken"))
		})
	}
	// A bare yes asks the names, as before.
	h := newHarness(t)
	h.step("c", "me olvidé la clave", dialog.ExpectCUIL)
	h.step("c", ana, dialog.ExpectDNI)
	h.step("c", "35999888", dialog.ExpectBirthDate)
	h.step("c", "25/07/1990", dialog.ExpectChoice, i18n.M("key.none_yet"))
	h.step("c", "sí", dialog.ExpectFirstNames)
}
