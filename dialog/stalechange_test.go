package dialog_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// A chat that proved the key at «Cambiar mi clave» stored its new key over
// the one the owner recovered meanwhile (an attack probe): someone who had
// learnt María's key reached the new key and waited; María, warned,
// recovered hers in her own chat; the stranger then typed a key of their
// choice twice and it replaced María's, the recovery undone. A change is
// of the key proved: once the CUIL's key is another, the chat is asked for
// the current key again, and nothing is stored.
func TestChangeProvedWithAnOldKeyStoresNothing(t *testing.T) {
	h := newHarness(t)
	withKey(h, "Primera2024a")
	h.step("stranger", "hola", dialog.ExpectMenu)
	h.step("stranger", "3", dialog.ExpectCUIL)
	h.step("stranger", maria, dialog.ExpectCurrentKey)
	h.step("stranger", "Primera2024a", dialog.ExpectNewKey)

	h.now = h.now.Add(time.Minute)
	toFactor(h, "maria")
	h.step("maria", "Segunda2024b", dialog.ExpectConfirmKey)
	h.step("maria", "Segunda2024b", dialog.ExpectMenu, i18n.M("done.recover"))

	h.now = h.now.Add(5 * time.Minute)
	h.step("stranger", "Ladron2024zz", dialog.ExpectConfirmKey)
	h.step("stranger", "Ladron2024zz", dialog.ExpectCurrentKey, i18n.M("change.key_changed"))
	for key, want := range map[string]registry.VerifyStatus{"Segunda2024b": registry.VerifyOK, "Ladron2024zz": registry.VerifyWrong} {
		if res, err := h.reg.Verify(h.ctx, registry.CUIL("20314567898"), key, "test"); err != nil || res.Status != want {
			t.Errorf("Verify(%s) = %v, %v; want %v", key, res.Status, err, want)
		}
	}
}
