package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestCannotGetInWithAHelpRequest: "hola necesito ayuda no puedo entrar a
// mi anses" started creating a key, the checklist and the CUIL asked, with
// no greeting (key.create, 0.52 past the greeting; a people probe), where
// "no puedo entrar a mi anses" gets what to check and the recovery
// offered. Unsure of creating, the words that say the person cannot get
// in decide.
func TestCannotGetInWithAHelpRequest(t *testing.T) {
	for _, tc := range []struct {
		text  string
		first bool
	}{
		{"hola necesito ayuda no puedo entrar a mi anses", true},
		{"HOLA NECESITO AYUDA NO PUEDO ENTRAR A MI ANSES", true},
		{"necesito ayuda, no puedo entrar a mi anses", false},
		// Needing the key because one cannot get in was answered what
		// the key is for (key.uses, 0.59 to 0.81; a people probe).
		{"hola q tal necesito la clave d anses xq no puedo entrar", true},
		{"necesito la clave xq no puedo entrar", false},
		{"necesito mi clave de anses porque no puedo ingresar", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			h := newHarness(t)
			if !tc.first {
				h.step("c", "hola", dialog.ExpectMenu)
			}
			rs := h.send("c", tc.text)
			if has(rs, i18n.M("create.checklist")) || !has(rs, i18n.M("faq.cannot_get_in")) || !has(rs, i18n.M("faq.offer_recover_login")) {
				t.Fatalf("%q:\n%s", tc.text, h.dump(rs))
			}
		})
	}
	// Creating, said so, is still creating.
	h := newHarness(t)
	h.step("n", "no puedo entrar porque nunca tuve clave, quiero crearla", dialog.ExpectCUIL, i18n.M("create.checklist"))
	// And what the key is for, asked, is still asked.
	h.step("u", "hola", dialog.ExpectMenu)
	h.step("u", "para que sirve la clave si no puedo entrar", dialog.ExpectChoice, i18n.M("faq.answer.key.uses"))
}
