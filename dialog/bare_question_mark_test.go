package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBareQuestionMarkIsHelp: "?" where the surnames are asked got the
// same question again, with nothing said (a people probe): a person who
// types only a question mark does not know what to do there. It is
// "ayuda": what the step asks and how, and the question again.
func TestBareQuestionMarkIsHelp(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"?", "??", "¿?", "???"} {
		names := fmt.Sprint("names", i)
		h.toFirstNamesStep(names)
		h.step(names, "María Belén", dialog.ExpectLastNames)
		h.step(names, text, dialog.ExpectLastNames, i18n.M("help.last_names"), i18n.M("ask.last_names"))
		cuil := fmt.Sprint("cuil", i)
		h.step(cuil, "hola", dialog.ExpectMenu)
		h.step(cuil, "1", dialog.ExpectCUIL)
		h.step(cuil, text, dialog.ExpectCUIL, i18n.M("help.cuil"), i18n.M("ask.cuil"))
		menu := fmt.Sprint("menu", i)
		h.step(menu, "hola", dialog.ExpectMenu)
		h.step(menu, text, dialog.ExpectMenu, i18n.M("help.menu"))
		// At an identity question it got «Elegí una de las opciones».
		qh := newHarness(t)
		qh.toDNIStep("q")
		qh.step("q", "31.456.789", dialog.ExpectChoice, question1)
		if rs := qh.step("q", text, dialog.ExpectChoice, i18n.M("question.hint.*"), i18n.M("help")); has(rs, i18n.M("choice.invalid")) {
			t.Fatalf("%q at an identity question:\n%s", text, qh.dump(rs))
		}
	}
}
