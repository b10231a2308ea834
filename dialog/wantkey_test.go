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

// TestKeyAsAPronounStartsItsFlow: "mejor quiero recuperarla" typed where
// the CUIL is asked got "El CUIL tiene 11 números. Revisalo…", and at the
// menu "Eso no lo sé responder" (the classifier, not knowing the pronoun,
// read none; a words probe). The key's flow wanted with the key as a
// pronoun is that flow: offered instead of the one under way, started at
// the menu. Said done ("ya pude recuperarla") it starts nothing.
func TestKeyAsAPronounStartsItsFlow(t *testing.T) {
	h := newHarness(t)
	h.step("cuil", "hola", dialog.ExpectMenu)
	h.step("cuil", "1", dialog.ExpectCUIL)
	h.step("cuil", "mejor quiero recuperarla", dialog.ExpectChoice,
		i18n.M("offer.switch", "what", i18n.M("topic.recover")))
	h.step("menu", "hola", dialog.ExpectMenu)
	h.step("menu", "mejor quiero recuperarla", dialog.ExpectCUIL, i18n.M("recover.intro"))
	h.step("done", "hola", dialog.ExpectMenu)
	if rs := h.send("done", "ya pude recuperarla"); has(rs, i18n.M("recover.intro")) {
		t.Errorf("a key recovered started its recovery:\n%s", h.dump(rs))
	}
}
