package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestGreetingThenGivenNames: "Buenas tardes. Lucía Soledad" and "Hola
// buenas tardes Lucía Soledad" typed where the first names are asked got
// "¡Hola de nuevo! Sigamos donde estábamos." and the question again, the
// names lost (a data probe): a greeting was taken off a name only before
// a preamble ("hola, soy …"). Known given names after a greeting are the
// first names; "hola gente" is still no one's name.
func TestGreetingThenGivenNames(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"Buenas tardes. María Belén", "Hola buenas tardes María Belén", "buen día, MARIA BELEN", "hola! María Belén"} {
		chat := "greeting-names-" + string(rune('a'+i))
		h.toFirstNamesStep(chat)
		rs := h.step(chat, text, dialog.ExpectLastNames)
		if has(rs, i18n.M("greeting.again")) {
			t.Errorf("%q:\n%s", text, h.dump(rs))
		}
		h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
		h.step(chat, "14/03/1985", dialog.ExpectDNI)
		h.step(chat, "31456789", dialog.ExpectChoice)
	}
	h.toFirstNamesStep("greeting-only")
	h.step("greeting-only", "hola gente", dialog.ExpectFirstNames)
}
