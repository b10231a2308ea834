package dialog_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestIntroductionIsAGreeting: "hola soy rosario de rosario" at the menu
// got «Eso no lo sé responder», and where the CUIL is asked «El CUIL
// tiene 11 números» (a people probe; the classifier reads none, 0.94, in
// a name that is also a word and a city). A greeting and who the person
// is, nothing asked, is a greeting: answered as one, the place kept,
func TestIntroductionIsAGreeting(t *testing.T) {
	texts := []string{"hola soy rosario de rosario", "hola soy graciela", "buenas tardes, soy Consuelo",
		"Hola, me llamo Luz", "HOLA SOY MERCEDES DE MERCEDES", "hola soy Dolores 👋", "buen dia mi nombre es Amparo"}
	// as "hola" is answered there.
	h := newHarness(t)
	h.step("menu", "hola", dialog.ExpectMenu)
	atMenu := keys(h.step("menu", "hola", dialog.ExpectMenu))
	h.step("cuil", "hola", dialog.ExpectMenu)
	h.step("cuil", "1", dialog.ExpectCUIL)
	atCUIL := keys(h.step("cuil", "hola", dialog.ExpectCUIL))
	for i, text := range texts {
		t.Run(text, func(t *testing.T) {
			menu := fmt.Sprint("menu", i)
			h.step(menu, "hola", dialog.ExpectMenu)
			if rs := h.step(menu, text, dialog.ExpectMenu); !slices.Equal(keys(rs), atMenu) {
				t.Errorf("%q at the menu, not as a greeting:\n%s", text, h.dump(rs))
			}
			cuil := fmt.Sprint("cuil", i)
			h.step(cuil, "hola", dialog.ExpectMenu)
			h.step(cuil, "1", dialog.ExpectCUIL)
			if rs := h.step(cuil, text, dialog.ExpectCUIL); !slices.Equal(keys(rs), atCUIL) {
				t.Errorf("%q where the CUIL is asked, not as a greeting:\n%s", text, h.dump(rs))
			}
		})
	}
}
