package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNoDNIToldWhatIsNeeded: "no tengo dni, tengo la precaria" and "i
// dont have an argentine dni, i have a passport" got "Eso no lo sé
// responder" (none); "no tengo dni" at the first names "Eso no parece un
// nombre", at the birth date "No pude leer esa fecha" (a words probe).
// What is needed, a DNI in force (key.requirements, as 4a720c2 answers a
// DNI lost with the key named), is the answer, at the menu and in a flow,
// where the step is asked again. At the DNI's own step, where "no tengo dni"
// may be "not at hand", the step's answer, where the number is, stays.
func TestNoDNIToldWhatIsNeeded(t *testing.T) {
	h := newHarness(t)
	want := i18n.M("faq.answer.key.requirements")
	for i, text := range []string{"no tengo dni, tengo la precaria", "no tengo documento",
		"i dont have an argentine dni, i have a passport", "solo tengo pasaporte"} {
		chat := "nodni-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, text, dialog.ExpectChoice, want)
	}
	h.toFirstNamesStep("nodni-names")
	h.step("nodni-names", "no tengo dni", dialog.ExpectFirstNames, want, i18n.M("ask.first_names"))
	h.step("nodni-names", "María Belén", dialog.ExpectLastNames)
	h.step("nodni-names", "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step("nodni-names", "no tengo documento, tengo la precaria", dialog.ExpectBirthDate, want, i18n.M("ask.birth_date"))
	h.step("nodni-names", "14/03/1985", dialog.ExpectDNI)
	if rs := h.step("nodni-names", "no tengo el dni a mano", dialog.ExpectDNI); has(rs, want) {
		t.Errorf("the DNI not at hand:\n%s", h.dump(rs))
	}
	h.step("passport", "hola", dialog.ExpectMenu)
	if rs := h.send("passport", "donde tramito el pasaporte"); has(rs, want) {
		t.Errorf("a passport's procedure:\n%s", h.dump(rs))
	}
}
