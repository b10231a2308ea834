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
}
