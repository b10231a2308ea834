package dialog_test

import (
	"fmt"
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

// TestRequestBeforeThanksIsHeard: "Buenos días. Quisiera saber el
// procedimiento para obtener la clave de la seguridad social. Desde ya
// muchas gracias." and "necesito la clave, gracias" got "¡De nada!" (a
// words probe: older people's formal phrasing, the thanks outweighing the
// request). The closing is read apart from what comes before it when
// that asks something: a flow, sure or offered among the topics, a
// question, or a message of several words; thanks that close what was
// told ("ya la hice, muchas gracias") are still thanks.
func TestRequestBeforeThanksIsHeard(t *testing.T) {
	h := newHarness(t)
	for i, c := range []struct {
		text string
		want i18n.Key
	}{
		{"Buenos días. Quisiera saber el procedimiento para obtener la clave de la seguridad social. Desde ya muchas gracias.", "faq.topic.key.create"},
		{"Estimados, me dirijo a ustedes a fin de solicitar la clave de la seguridad social. Atentamente.", "suggest.ask"},
		{"necesito la clave, gracias", "faq.topic.key.create"},
		{"me olvide la clave, me ayudan por favor? gracias!!", "recover.intro"},
		{"que necesito para hacerla? desde ya gracias", "faq.answer.key.requirements"},
		{"ya la hice, muchas gracias", "faq.answer.thanks_bye"},
		{"bueno listo gracias", "faq.answer.thanks_bye"},
	} {
		chat := fmt.Sprintf("signoff-%d", i)
		h.step(chat, "hola", dialog.ExpectMenu)
		rs := h.send(chat, c.text)
		if !has(rs, i18n.M(c.want)) || c.want != "faq.answer.thanks_bye" && has(rs, i18n.M("faq.answer.thanks_bye")) {
			t.Errorf("%q: want %s\n%s", c.text, c.want, h.dump(rs))
		}
	}
}
