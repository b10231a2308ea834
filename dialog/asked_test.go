package dialog_test

import (
	"fmt"
	"strings"
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

// TestQuestionNotKnownIsEchoedMasked is an attack probe's: a question the
// bot does not know is said back in its words ("Lo de «…» no lo sé
// responder"), and the person's phone in it went back whole:
// in the bot's line, the transcript Redis holds and the desk shows an
// agent held "0351 15 555 1234", where the person's own line was masked.
// Said back, it is masked as the transcript masks it.
func TestQuestionNotKnownIsEchoedMasked(t *testing.T) {
	for i, c := range []struct{ text, clear string }{
		{"qué es la clave y por qué no me llega nada al 0351 15 555 1234?", "555 1234"},
		{"qué es la clave y por qué no me llega nada al +54 9 351 555 1234?", "555 1234"},
	} {
		h := newHarness(t)
		chat := fmt.Sprintf("echo%d", i)
		rs := h.send(chat, c.text)
		echoed := false
		for _, r := range rs {
			if r.Msg.Key != "question.part_unknown" {
				continue
			}
			echoed = true
			if text := fmt.Sprint(r.Msg.Args["text"]); strings.Contains(text, c.clear) {
				t.Errorf("%q: said back with %q in clear: %q", c.text, c.clear, text)
			}
		}
		if !echoed {
			t.Fatalf("%q: no question.part_unknown:\n%s", c.text, h.dump(rs))
		}
		if lines := h.store.Lines(chat); strings.Contains(lines, c.clear) {
			t.Errorf("%q: the stored transcript holds %q in clear:\n%s", c.text, c.clear, lines)
		}
	}
}
