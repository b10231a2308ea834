package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestConfirmationWithWords: "es Misiones2024x" where the key is asked
// again got «Las dos claves no coinciden. Empecemos de nuevo» and the key
// chosen was thrown away (a people probe), where the same words at the
// new key get «Escribí solo la clave, sin otras palabras». A key has no
// spaces, so words around it are never a mismatch to start over from:
// said so, and the confirmation asked again, the key chosen kept.
func TestConfirmationWithWords(t *testing.T) {
	h := newHarness(t)
	h.toKeyStep("c")
	h.step("c", "Tranqui2025k", dialog.ExpectConfirmKey)
	for _, text := range []string{"es Tranqui2025k", "Tranqui2025k gracias", "la misma: Tranqui2025k"} {
		rs := h.step("c", text, dialog.ExpectConfirmKey, i18n.M("key.only_key"))
		if has(rs, i18n.M("key.confirm_mismatch")) {
			t.Fatalf("%q threw the key away:\n%s", text, h.dump(rs))
		}
	}
	h.step("c", "Tranqui2025k", dialog.ExpectMenu, i18n.M("done.create"))
}
