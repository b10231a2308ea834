package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestWantingAKeyForABenefitStartsIt: "quiero sacar la clave para cobrar
// la auh de mis hijos" and "soy viuda y quiero la clave para cobrar la
// pension" got "Eso no lo sé responder" (the classifier read the benefit,
// none; the regression probe's leftovers), where "quiero sacar la clave
// para ver mi jubilación" starts the creation. Saying one wants a key is
// wanting one, whatever it is for; not wanting one is not.
func TestWantingAKeyForABenefitStartsIt(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{
		"quiero sacar la clave para cobrar la auh de mis hijos",
		"soy viuda y quiero la clave para cobrar la pension",
		"quisiera hacer mi clave porque me dijeron que sin eso no cobro el salario familiar",
	} {
		chat := fmt.Sprintf("want-%d", i)
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, text, dialog.ExpectCUIL, i18n.M("create.checklist"))
	}
	h.step("not-want", "hola", dialog.ExpectMenu)
	if rs := h.send("not-want", "no quiero sacar la clave, solo saber cuando cobro la auh"); has(rs, i18n.M("create.checklist")) {
		t.Errorf("not wanting a key started one:\n%s", h.dump(rs))
	}
}
