package dialog_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesSaidBeforeTheRequestAreTaken: "hola soy María Belén Gómez
// Ruiz, quiero crear mi clave, cuil 20-…, dni …, nací el …" took the
// CUIL, the DNI and the date and asked the first names again (a data
// probe), where the same names after the request are taken: the request
// made the message a sentence, and only the names after it were read.
// A full name said to be the person's ("soy …", "me llamo …", "mi nombre
// es …") before the request, opened by a known given name, with another
// datum, is taken too; "soy jubilado", "soy la hija de …" give none.
func TestNamesSaidBeforeTheRequestAreTaken(t *testing.T) {
	h := newHarness(t)
	for i, c := range []struct {
		text   string
		expect dialog.Expect
	}{
		{"hola soy María Belén Gómez Ruiz, quiero crear mi clave, cuil 20-31456789-8, dni 31.456.789, nací el 14/03/1985", dialog.ExpectChoice},
		{"Buenas, me llamo María Belén Gómez Ruiz y quiero sacar la clave. Mi cuil es 20314567898, dni 31456789, nací el 14 / 3 / 85", dialog.ExpectChoice},
		// A date in a sentence, not said to be the birth, may be the
		// DNI's issue: asked.
		{"soy María Belén Gómez Ruiz, necesito crear la clave de la seguridad social, 20-31456789-8 31456789", dialog.ExpectBirthDate},
	} {
		chat := "before-" + strconv.Itoa(i)
		h.now = h.now.Add(2 * time.Hour) // past the rounds open at once
		h.step(chat, "hola", dialog.ExpectMenu)
		if c.expect == dialog.ExpectBirthDate {
			h.step(chat, c.text, c.expect, i18n.M("data.taken"))
			h.step(chat, "14/03/1985", dialog.ExpectChoice, question1)
			continue
		}
		h.step(chat, c.text, c.expect, i18n.M("data.taken"), question1)
	}
	for i, text := range []string{
		"hola soy jubilado, quiero crear mi clave, cuil 20-31456789-8",
		"soy la hija de María Belén, quiero crear mi clave, cuil 20-31456789-8",
	} {
		chat := "before-none-" + strconv.Itoa(i)
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, text, dialog.ExpectFirstNames)
	}
}
