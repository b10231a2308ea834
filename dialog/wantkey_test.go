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
// pronoun is that flow: offered instead of the one under way once
// something was given to it, started at the menu and at a flow's first
// step. Said done ("ya pude recuperarla") it starts nothing.
func TestKeyAsAPronounStartsItsFlow(t *testing.T) {
	h := newHarness(t)
	h.step("cuil", "hola", dialog.ExpectMenu)
	h.step("cuil", "1", dialog.ExpectCUIL)
	h.step("cuil", "mejor quiero recuperarla", dialog.ExpectCUIL, i18n.M("recover.intro"))
	h.step("names", "hola", dialog.ExpectMenu)
	h.step("names", "1", dialog.ExpectCUIL)
	h.step("names", maria, dialog.ExpectFirstNames)
	h.step("names", "mejor quiero recuperarla", dialog.ExpectChoice,
		i18n.M("offer.switch", "what", i18n.M("topic.recover")))
	h.step("menu", "hola", dialog.ExpectMenu)
	h.step("menu", "mejor quiero recuperarla", dialog.ExpectCUIL, i18n.M("recover.intro"))
	h.step("done", "hola", dialog.ExpectMenu)
	if rs := h.send("done", "ya pude recuperarla"); has(rs, i18n.M("recover.intro")) {
		t.Errorf("a key recovered started its recovery:\n%s", h.dump(rs))
	}
}

// TestNotWantingAFlowStartsNone: "no quiero cambiar la clave" and "no
// quiero cambiarla" started «Cambiar mi clave», which asked for the CUIL
// and the current key (a words probe: the classifier, blind to the "no",
// read key.change 0.97); "I don't want to change my password" alike. A
// flow said not wanted starts nothing; another wanted instead starts.
func TestNotWantingAFlowStartsNone(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"no quiero cambiar la clave", "no quiero cambiarla", "I don't want to change my password"} {
		chat := fmt.Sprintf("notwant-%d", i)
		h.step(chat, "hola", dialog.ExpectMenu)
		if rs := h.send(chat, text); has(rs, i18n.M("change.intro")) {
			t.Errorf("%q started the change:\n%s", text, h.dump(rs))
		}
	}
	h.step("instead", "hola", dialog.ExpectMenu)
	h.step("instead", "no quiero crear otra clave, quiero recuperar la que tenia", dialog.ExpectCUIL,
		i18n.M("recover.intro"))
	h.step("wants", "hola", dialog.ExpectMenu)
	h.step("wants", "quiero cambiar la clave", dialog.ExpectCUIL, i18n.M("change.intro"))
}

// TestMindChangedAtANameStep: "mejor no, quiero recuperarla" and "no
// mejor la recupero" typed where the surnames are asked got «Eso no
// parece un nombre» (a people probe), where "quiero recuperarla" is
// offered the recovery instead: the "no" that takes back the creation
// was read as denying the recovery, and the verb after the pronoun was
// no flow. Both offer the flow wanted now; the place is kept on "no".
func TestMindChangedAtANameStep(t *testing.T) {
	h := newHarness(t)
	for i, tc := range []struct {
		text string
		what i18n.Key
	}{
		{"mejor no, quiero recuperarla", "topic.recover"},
		{"no mejor la recupero", "topic.recover"},
		{"ah no, mejor la cambio", "topic.change"},
	} {
		chat := fmt.Sprint("mind-", i)
		h.toFirstNamesStep(chat)
		h.step(chat, "María Belén", dialog.ExpectLastNames)
		h.step(chat, tc.text, dialog.ExpectChoice, i18n.M("offer.switch", "what", i18n.M(tc.what)))
		h.step(chat, "no", dialog.ExpectLastNames)
	}
}
