package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestShortQuestionOfTheStepsDatum: "q es eso?" where the número de
// trámite is asked got what the key is (a words probe), where "¿qué es?"
// gets what the número de trámite is: "q" is "qué" as people type it,
// and a bare question needs no mark ("q es eso"). The step is asked
// again.
func TestShortQuestionOfTheStepsDatum(t *testing.T) {
	h := newHarness(t)
	h.step("c", "me olvidé la clave", dialog.ExpectCUIL)
	h.step("c", juan, dialog.ExpectDNI)
	h.step("c", "40111222", dialog.ExpectBirthDate)
	h.step("c", "02/11/1997", dialog.ExpectTramite)
	for _, text := range []string{"q es eso?", "q es eso", "k es?", "que es?"} {
		h.step("c", text, dialog.ExpectTramite, i18n.M("faq.answer.dni.tramite"), i18n.M("ask.dni_tramite"))
	}
	h.step("c", "q es la clave?", dialog.ExpectTramite, i18n.M("faq.answer.key.what"))
	h.step("u", "crear clave", dialog.ExpectCUIL)
	h.step("u", "q es eso?", dialog.ExpectCUIL, i18n.M("faq.answer.cuil.find"), i18n.M("ask.cuil"))
}
