package dialog_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestRoundsLostWithTheStateCostNothing: Redis emptied (a restart, a
// flush, a failover) while a person is at the identity questions loses
// the chat's state, and with it the only reference to the round's
// attempt. The attempt is held while it may still be answered (parallel
// chats get no more than the policy's), then given back: three such
// losses locked the CUIL for 4 hours, with no wrong answer (a resilience
// probe), as did a terminal chat interrupted at the questions.
func TestRoundsLostWithTheStateCostNothing(t *testing.T) {
	h := newHarness(t)
	for i := range 3 {
		chat := fmt.Sprint("lost", i)
		h.toDNIStep(chat)
		h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
		h.store = dialogtestStore(h) // Redis emptied
		h.restart()
	}
	h.toDNIStep("meanwhile")
	h.step("meanwhile", "31.456.789", dialog.ExpectChoice, i18n.M("validation.busy"))
	h.now = h.now.Add(2 * time.Hour)
	h.toDNIStep("later")
	h.step("later", "31.456.789", dialog.ExpectChoice, question1)
	rs := h.answerQuestions("later", maria, true)
	if !has(rs, i18n.M("attempts.left", "n", 2)) {
		t.Errorf("a wrong round after three lost ones:\n%s\nwant two attempts left", h.dump(rs))
	}
}
