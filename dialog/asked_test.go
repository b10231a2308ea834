package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestTwoQuestionsInOneMessage: "¿qué es la clave y para qué sirve?" got
// what it is for alone, and "cuanto sale y cuanto tarda?" how long it
// takes, the cost dropped unsaid (the words probe's leftovers). Each
// question is answered in the order asked, one the bot does not know is
// said to be, a flow asked for starts after the answers, at the menu,
// first in a chat and where a datum is asked (the step asked again). A
// question with a remark, and "cuando" that asks nothing, are one.
func TestTwoQuestionsInOneMessage(t *testing.T) {
	h := newHarness(t)
	what, uses := i18n.M("faq.answer.key.what"), i18n.M("faq.answer.key.uses")
	duration := i18n.M("faq.answer.key.duration")
	for i, c := range []struct {
		text   string
		expect dialog.Expect
		want   []i18n.Message
	}{
		{"¿qué es la clave y para qué sirve?", dialog.ExpectChoice, []i18n.Message{what, uses, i18n.M("rate.ask")}},
		{"q es la clave y pa q sirve", dialog.ExpectChoice, []i18n.Message{what, uses}},
		{"que es la clave? para que sirve?", dialog.ExpectChoice, []i18n.Message{what, uses}},
		{"what is the password and what is it for?", dialog.ExpectChoice, []i18n.Message{what, uses}},
		{"cuanto sale y cuanto tarda?", dialog.ExpectChoice,
			[]i18n.Message{i18n.M("question.part_unknown", "text", "cuanto sale"), duration}},
		{"que es el cuil y donde lo encuentro?", dialog.ExpectChoice, []i18n.Message{i18n.M("faq.answer.cuil.find")}},
		{"que necesito y como la hago?", dialog.ExpectCUIL,
			[]i18n.Message{i18n.M("faq.answer.key.requirements"), i18n.M("create.checklist")}},
	} {
		chat := fmt.Sprintf("two-%d", i)
		h.step(chat, "hola", dialog.ExpectMenu)
		rs := h.step(chat, c.text, c.expect, c.want...)
		if has(rs, i18n.M("faq.answer.none")) || c.want[0].Key != "question.part_unknown" && has(rs, i18n.M("question.part_unknown")) {
			t.Errorf("%q:\n%s", c.text, h.dump(rs))
		}
	}
	h.step("two-first", "cuanto sale y cuanto tarda?", dialog.ExpectChoice, i18n.M("welcome"),
		i18n.M("question.part_unknown", "text", "cuanto sale"), duration)
	h.toFirstNamesStep("two-names")
	h.step("two-names", "¿qué es la clave y para qué sirve?", dialog.ExpectFirstNames, what, uses,
		i18n.M("ask.first_names"))
	// One question, with a remark or a "cuando" that asks nothing.
	for i, text := range []string{"q necesito pa sacar la clave? tengo el dni nomas",
		"genere la clave y cuando entro me saca"} {
		chat := fmt.Sprintf("one-%d", i)
		h.step(chat, "hola", dialog.ExpectMenu)
		if rs := h.send(chat, text); has(rs, i18n.M("question.part_unknown")) {
			t.Errorf("%q read as two:\n%s", text, h.dump(rs))
		}
	}
}
