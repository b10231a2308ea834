package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestDNIAtTheCheckOfferAsksTheCUIL: the DNI typed where the bot offers
// to check the CUIL («¿Querés que revise tu CUIL en el sistema?») got «Eso
// no lo sé responder» and the problems' menu, the offer lost (a people
// probe). The person wants the check and answered with what they have:
// the check starts, saying that a DNI is not the CUIL and asking it, as
// the DNI typed where the CUIL is asked does.
func TestDNIAtTheCheckOfferAsksTheCUIL(t *testing.T) {
	for _, dni := range []string{"31456789", "31.456.789", "mi dni es 31456789"} {
		t.Run(dni, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "tengo un problema", dialog.ExpectChoice)
			h.step("c", "estoy bloqueado", dialog.ExpectChoice, i18n.M("trouble.offer_check"))
			rs := h.step("c", dni, dialog.ExpectCUIL, i18n.M("cuil.is_dni"), i18n.M("ask.cuil"))
			if has(rs, i18n.M("faq.answer.none")) {
				t.Errorf("%q: %s", dni, h.dump(rs))
			}
			h.step("c", maria, dialog.ExpectDNI, i18n.M("check.prove"))
		})
	}
}
