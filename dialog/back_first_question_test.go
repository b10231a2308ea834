package dialog_test

import (
	"strconv"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBackAtTheFirstQuestionSaysWhy: "volver" at the first identity
// question only asked it again, with no word of why (a people probe): the
// data before it were checked against the record and this attempt keeps
// them. It says so, kindly, and asks the same question; at a later
// question "volver" goes to the one before, as it did.
func TestBackAtTheFirstQuestionSaysWhy(t *testing.T) {
	h := newHarness(t)
	h.toDNIStep("c")
	h.step("c", "31456789", dialog.ExpectChoice, question1)
	h.step("c", "volver", dialog.ExpectChoice, i18n.M("back.data_checked"), question1)
	q := h.questions(maria)[0]
	h.step("c", strconv.Itoa(q.Answer+1), dialog.ExpectChoice, i18n.M("question.*", "n", 2, "total", 3))
	rs := h.step("c", "volver", dialog.ExpectChoice, question1)
	if has(rs, i18n.M("back.data_checked")) {
		t.Errorf("volver at the second question:\n%s", h.dump(rs))
	}
}
