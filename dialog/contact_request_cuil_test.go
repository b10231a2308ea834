package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestContactRequestWithTheCUIL: "quiero cambiar mi correo, mi cuil es
// 27352189044" got how the contacts are changed, then «¿Querés crear,
// recuperar o cambiar la clave de ese CUIL…?», whose options have no
// contacts, and "sí" there "Elegí una de las opciones" (a data probe):
// the CUIL sent the request to the question for a CUIL typed alone. The
// contacts' change is offered with that CUIL, and a yes asks the key.
func TestContactRequestWithTheCUIL(t *testing.T) {
	h := newHarness(t)
	h.step("contact-cuil", "hola", dialog.ExpectMenu)
	rs := h.step("contact-cuil", "quiero cambiar mi correo, mi cuil es "+maria, dialog.ExpectChoice, i18n.M("contact.offer_now"))
	if has(rs, i18n.M("cuil.what")) {
		t.Fatalf("asked what the CUIL is for:\n%s", h.dump(rs))
	}
	h.step("contact-cuil", "sí", dialog.ExpectCurrentKey)
}
