package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestLostWithTheCUIL: where the CUIL is asked, a long message of someone
// lost that gives it ("… no entiendo nada de computadoras así que no sé
// qué hacer, mi cuil es 20-…") got "No te preocupes, vamos paso a paso…
// Respondé lo que te pregunto" and the CUIL asked again, the one typed
// dropped (a words probe). They did answer: the CUIL is taken.
func TestLostWithTheCUIL(t *testing.T) {
	for _, text := range []string{
		"mire yo nunca tuve la clave y mi hija me dijo que la tengo que sacar para ver lo de la jubilacion pero no entiendo nada de computadoras asi que no se que hacer mi cuil es " + maria,
		"NO ENTIENDO NADA DE ESTO, ME MANDARON ACA DEL BANCO Y NO SE QUE TENGO QUE HACER CON ESTO, MI CUIL ES " + maria,
	} {
		t.Run(text[:30], func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", "1", dialog.ExpectCUIL)
			h.step("c", text, dialog.ExpectFirstNames)
		})
	}
}
