package dialog_test

import (
	"strconv"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// TestNotKnowingTheAnswerNamed: "no me acuerdo la fecha de emisión" at the
// question of the DNI's issue date got the FAQ's answer on failed
// validations (error.identity_failed), which says to look at the DNI but
// not where the date is, nor that a guess counts and one may come back
// with it: "no me acuerdo" alone gets that hint (a people probe). Not
// knowing, said with what is not known, is not knowing: the question's
// hint, and the question again; nothing is counted.
func TestNotKnowingTheAnswerNamed(t *testing.T) {
	said := map[registry.QuestionKind][]string{
		registry.QuestionIssueDate: {"no me acuerdo la fecha de emisión", "no sé la fecha de emisión del DNI", "i don't remember the issue date"},
		registry.QuestionProvince:  {"no me acuerdo en qué provincia nací", "no sé la provincia"},
		registry.QuestionEmployer:  {"no me acuerdo dónde trabajé", "no sé en qué empresa trabajé"},
		registry.QuestionBenefit:   {"no sé qué beneficio cobré", "no me acuerdo los beneficios"},
	}
	h := newHarness(t)
	h.toDNIStep("c")
	h.step("c", "31456789", dialog.ExpectChoice, question1)
	for _, q := range h.questions(maria) {
		for _, text := range said[q.Kind] {
			rs := h.step("c", text, dialog.ExpectChoice, i18n.M(i18n.Key("question.hint."+string(q.Kind))))
			if has(rs, i18n.M("faq.answer.error.identity_failed")) {
				t.Fatalf("%q got the answer on failed validations:\n%s", text, h.dump(rs))
			}
		}
		h.send("c", strconv.Itoa(q.Answer+1))
	}
}
