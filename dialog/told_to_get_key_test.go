package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestToldToGetAKeyStartsIt: "mi nieto me dijo que tengo que sacar una
// clave para la jubilacion" got «Eso no lo sé responder» (none, 0.54; a
// people probe), where "quiero sacar la clave…" starts the creation.
// Having to get a key is wanting one, "q" for "que" too ("tengo q hacer
// la clave" got the words for a person lost); not having to is not.
func TestToldToGetAKeyStartsIt(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{
		"mi nieto me dijo que tengo que sacar una clave para la jubilacion",
		"en el banco me dijeron que debo hacer la clave para cobrar la pension",
		// Read as a person lost (help.lost 0.60 and 0.71), written as on
		// WhatsApp too (a people probe).
		"hola mi nieto me dijo q tengo q hacer la clave",
		"mi nieto me dijo que tengo que hacer la clave",
		// Told in the past ("tenía que"; none 0.93, a people probe).
		"me dijeron q tenia q sacar la clave xq cobro la pension",
		"en el banco me dijeron que tendria que hacer una clave",
	} {
		chat := fmt.Sprintf("told-%d", i)
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, text, dialog.ExpectCUIL, i18n.M("create.checklist"))
	}
	h.step("not-told", "hola", dialog.ExpectMenu)
	if rs := h.send("not-told", "no tengo que sacar una clave, solo quiero saber cuando cobro la jubilacion"); has(rs, i18n.M("create.checklist")) {
		t.Errorf("not having to get a key started one:\n%s", h.dump(rs))
	}
}
