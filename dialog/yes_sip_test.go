package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestYesOfTheRiverPlateAndThumbs: "sip" to «¿Querés recuperarla?» got
// "Eso no lo sé responder" and the menu, and "👍" the menu, the offer
// dropped both times (a data probe): "sip", "sep", "sipi", "ajá" are the
// River Plate's yes, and a thumb up (of any skin tone), an OK hand or a
// tick the yes people tap on WhatsApp; a thumb down is a no.
func TestYesOfTheRiverPlateAndThumbs(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"sip", "Sep", "sipi", "ajá", "👍", "👍🏻", "👌", "✅", "👍👍", "sip 👍"} {
		chat := "sip-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "no puedo entrar a mi anses", dialog.ExpectChoice, i18n.M("faq.offer_recover_login"))
		h.step(chat, text, dialog.ExpectCUIL)
	}
	h.step("thumb-down", "hola", dialog.ExpectMenu)
	h.step("thumb-down", "no puedo entrar a mi anses", dialog.ExpectChoice, i18n.M("faq.offer_recover_login"))
	h.step("thumb-down", "👎", dialog.ExpectMenu, i18n.M("offer.declined"))
}
