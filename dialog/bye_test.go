package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestGoodbyeIsNoThanks: "chau" got "¡De nada! Cuando necesites algo con
// tu clave, escribime.", an answer to a thanks, and in the middle of a
// flow that and the step's question again, as if the person had not said
// they were leaving (a words probe, an item of the last session). A
// goodbye is answered as one: at rest "¡Chau!…"; in a flow, that the
// place is kept a while, as "después" at the names says, without asking
// again. A thanks is still "¡De nada!", and the flow goes on when the
// person comes back.
func TestGoodbyeIsNoThanks(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"chau", "bueno chau gracias", "CHAUUU", "adios", "nos vemos", "bye"} {
		chat := "bye-rest-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		if rs := h.step(chat, text, dialog.ExpectMenu, i18n.M("faq.bye")); has(rs, i18n.M("faq.answer.thanks_bye")) {
			t.Errorf("%q got the thanks:\n%s", text, h.dump(rs))
		}
	}
	h.step("thanks", "hola", dialog.ExpectMenu)
	h.step("thanks", "gracias", dialog.ExpectMenu, i18n.M("faq.answer.thanks_bye"))

	h.step("bye-cuil", "hola", dialog.ExpectMenu)
	h.step("bye-cuil", "1", dialog.ExpectCUIL)
	rs := h.step("bye-cuil", "chau", dialog.ExpectCUIL, i18n.M("bye.later"))
	if has(rs, i18n.M("faq.answer.thanks_bye")) || has(rs, i18n.M("ask.cuil")) {
		t.Errorf("chau in a flow:\n%s", h.dump(rs))
	}
	h.step("bye-cuil", maria, dialog.ExpectFirstNames)

	h.toFirstNamesStep("bye-names")
	h.step("bye-names", "bueno chau, despues sigo", dialog.ExpectFirstNames, i18n.M("bye.later"))
	h.step("bye-names", "María Belén", dialog.ExpectLastNames)
}
