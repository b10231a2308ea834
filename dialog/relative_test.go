package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestKeyForARelativeSaysWhoseDataGo: "quiero hacerle la clave a mi mamá"
// started creating "tu clave", "tené a mano tu DNI", "Escribí tu número
// de CUIL" (a words probe), as if the key were the person's own. Children
// make their parents' key at their side (TestNeedingTheKeyStartsTheFlow),
// so the flow still starts, after a note that the key, the data and the
// DNI are the relative's; in the middle of a flow the note comes before
// the step's question. The person's own key, a relative helping, gets no
// note.
func TestKeyForARelativeSaysWhoseDataGo(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{
		"quiero hacerle la clave a mi mamá", "quiero sacarle la clave a mi papa",
		"necesito recuperar la clave de mi abuela", "como le creo la clave a mi hijo",
		"QUIERO CAMBIARLE LA CLAVE A MI ESPOSO", "mi papa olvido su clave", "how do i recover my dad's password",
		"quiero la clave para ver los aportes de mi papa", "quiero recuperar la clave de mi mama que se la olvido",
	} {
		chat := "relative-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, text, dialog.ExpectCUIL, i18n.M("relative.note"), i18n.M("ask.cuil"))
	}
	h.step("relative-flow", "hola", dialog.ExpectMenu)
	h.step("relative-flow", "1", dialog.ExpectCUIL)
	h.step("relative-flow", "quiero hacerle la clave a mi mamá", dialog.ExpectCUIL,
		i18n.M("relative.note"), i18n.M("ask.cuil"))
	for i, text := range []string{"mi hijo me ayuda a sacar la clave", "quiero sacar la clave con ayuda de mi nieta",
		"quiero sacar mi clave",
		// a regression run: the benefit a parent or a widow collects is
		// the relative's, the key the person's own
		"quiero crear la clave para cobrar la asignacion de mi hijo",
		"necesito crear la clave para cobrar la AUH de mi hija",
		"quiero crear mi clave para la pension de mi marido",
		"quiero crear la clave, la necesito para cobrar lo de mi hija",
		"I want to create my password to collect my son's allowance"} {
		chat := "own-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		if rs := h.step(chat, text, dialog.ExpectCUIL, i18n.M("create.checklist")); has(rs, i18n.M("relative.note")) {
			t.Errorf("%q, the person's own key, got the note:\n%s", text, h.dump(rs))
		}
	}
}

// TestRelativeWhoWantsAKey: "hola buenas, mi mamá es jubilada y quiere
// sacar la clave pero no sabe usar el celu, la ayudo yo?" started the
// creation speaking of "tu DNI", "tus datos", with no word that the data
// to type are hers (a words probe). A relative named who wants or needs
// the key, or cannot make it, is whom the key is for: the note comes
// first. What a relative told the person ("mi hija me dijo que necesito
// la clave") leaves the key the person's.
func TestRelativeWhoWantsAKey(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{
		"hola buenas, mi mama es jubilada y quiere sacar la clave pero no sabe usar el celu, la ayudo yo?",
		"mi papa necesita recuperar la clave",
	} {
		chat := fmt.Sprintf("wants-%d", i)
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, text, dialog.ExpectCUIL, i18n.M("relative.note"), i18n.M("ask.cuil"))
	}
	h.step("told", "hola", dialog.ExpectMenu)
	if rs := h.send("told", "mi hija me dijo que necesito sacar la clave"); has(rs, i18n.M("relative.note")) {
		t.Errorf("the person's own key got the note:\n%s", h.dump(rs))
	}
}
