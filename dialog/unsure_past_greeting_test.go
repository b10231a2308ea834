package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestLongGreetingDoesNotHideTheRequest: "buenas noches disculpe la hora,
// soy jubilada y no se usar esto" got the welcome and the menu alone (a
// people probe): with its greeting the classifier leaned, unsure, to a
// person lost (0.48); without it, it is sure (0.99). A guess in scope but
// unsure is read past the greeting, as a greeting or nothing is.
func TestLongGreetingDoesNotHideTheRequest(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"buenas noches disculpe la hora, soy jubilada y no se usar esto"} {
		first := fmt.Sprint("first", i)
		h.step(first, text, dialog.ExpectMenu, i18n.M("faq.answer.help.lost"))
		menu := fmt.Sprint("menu", i)
		h.step(menu, "hola", dialog.ExpectMenu)
		h.step(menu, text, dialog.ExpectMenu, i18n.M("faq.answer.help.lost"))
	}
}
