package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestCUILAtTheContactsOfferIsKept: "27-35218904-4" or "si, mi cuil es
// 27352189044" typed to «¿Querés hacerlo ahora?» after "quiero cambiar mi
// mail" started the contacts' flow and asked the CUIL again, and the key
// typed next, where the person expected it, landed at the CUIL's step ("El
// CUIL tiene 11 números", a data probe). The CUIL given with the yes, or
// for it, is the flow's: the key is asked next.
func TestCUILAtTheContactsOfferIsKept(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{maria, "si, mi cuil es " + maria} {
		chat := "contacts-offer-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "quiero cambiar mi mail", dialog.ExpectChoice)
		h.step(chat, text, dialog.ExpectCurrentKey, i18n.M("contact.intro"))
	}
	h.step("contacts-offer-yes", "hola", dialog.ExpectMenu)
	h.step("contacts-offer-yes", "quiero cambiar mi mail", dialog.ExpectChoice)
	h.step("contacts-offer-yes", "sí", dialog.ExpectCUIL, i18n.M("contact.intro"))
}
