package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestYesPleaseIsNoHandoff: "sí, por favor" and "si porfa" typed where the
// bot asks what to do with a CUIL, at an identity question or at the menu
// got "Ahora no puedo comunicarte con una persona…" (the classifier reads
// agent.handoff, 0.59, from "por favor"), "bueno" "¡Hola de nuevo!", and
// "sí" or "dale" "Eso no lo sé responder" (a data probe). A yes with
// courtesy words asks for nobody: at the menu it is a yes (the options
// again), where options are asked it is told to pick one, at a question
// the question's hint.
func TestYesPleaseIsNoHandoff(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"sí, por favor", "si porfa", "bueno", "sí", "dale", "Si por favor!!"} {
		chat := "yes-please-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, maria, dialog.ExpectChoice, i18n.M("cuil.what"))
		rs := h.step(chat, text, dialog.ExpectChoice, i18n.M("choice.invalid", "n", 4), i18n.M("cuil.what"))
		if has(rs, i18n.M("handoff.*")) || has(rs, i18n.M("greeting.again")) {
			t.Errorf("%q at the CUIL's action:\n%s", text, h.dump(rs))
		}
		h.step(chat, "1", dialog.ExpectFirstNames)
		h.step(chat, "María Belén Gómez Ruiz 14/03/1985 31456789", dialog.ExpectChoice)
		rs = h.step(chat, text, dialog.ExpectChoice)
		if has(rs, i18n.M("handoff.*")) || has(rs, i18n.M("greeting.again")) || has(rs, i18n.M("faq.answer.none")) {
			t.Errorf("%q at a question:\n%s", text, h.dump(rs))
		}
	}
	for i, text := range []string{"sí, por favor", "si por favor"} {
		chat := "yes-please-menu-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		rs := h.step(chat, text, dialog.ExpectMenu, i18n.M("menu.ask"))
		if has(rs, i18n.M("handoff.*")) {
			t.Errorf("%q at the menu:\n%s", text, h.dump(rs))
		}
	}
	h.step("person", "hola", dialog.ExpectMenu)
	h.step("person", "quiero hablar con una persona por favor", dialog.ExpectMenu, i18n.M("handoff.unavailable"))
}
