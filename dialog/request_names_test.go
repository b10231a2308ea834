package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesTypedWithTheRequestAreTaken: "quiero crear mi clave, soy María
// Belén Gómez Ruiz, cuil 20-…, nací el 14 de marzo del 85, dni …" kept
// the CUIL, the date and the DNI and asked the first names again, and
// "quiero crear mi clave. María Belén Gómez Ruiz 20-…" asked them all (a
// data probe): the request's words made the message a sentence, and a
// sentence gives no names. The run of names that follows the request's
// last word, opened by a known given name and typed with another datum,
// is the full name; words that are no given name after a request
// ("porfa rapido") are still not taken for one.
func TestNamesTypedWithTheRequestAreTaken(t *testing.T) {
	h := newHarness(t)
	for i, c := range []struct {
		text   string
		expect dialog.Expect
	}{
		{"quiero crear mi clave, soy María Belén Gómez Ruiz, cuil 20 31456789 8, nací el 14 de marzo del 85, dni 31.456.789", dialog.ExpectChoice},
		{"quiero crear mi clave. María Belén Gómez Ruiz 20-31456789-8", dialog.ExpectBirthDate},
		{"hola quiero sacar la clave MARIA BELEN GOMEZ RUIZ 20314567898", dialog.ExpectBirthDate},
		{"quiero crear mi clave, me llamo María Belén Gómez Ruiz y mi cuil es 20314567898", dialog.ExpectBirthDate},
	} {
		chat := "request-names-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, c.text, c.expect, i18n.M("data.taken"))
	}
	for i, text := range []string{
		"quiero crear la clave porfa rapido 20-31456789-8",
		"quiero crear mi clave para mi hija 20-31456789-8",
	} {
		chat := "request-no-names-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, text, dialog.ExpectFirstNames)
		h.step(chat, "María Belén", dialog.ExpectLastNames)
		h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
		h.step(chat, "14/03/1985", dialog.ExpectDNI)
		h.step(chat, "31456789", dialog.ExpectChoice)
	}
}
