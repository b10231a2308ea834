package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// TestARoundInProgressTellsStrangersNothing is an attack probe's: while
// the owner of a registered CUIL answered the identity questions, a
// stranger's wrong data for that CUIL were told "Te queda un intento"
// where any other CUIL says "Te quedan 2", which told that the CUIL is
// registered and that someone is validating it right now; a second
// mismatch locked it. A round in progress holds its place toward the
// maximum but is no failure: the stranger is told what anyone is, and the
// owner's round is still judged.
func TestARoundInProgressTellsStrangersNothing(t *testing.T) {
	h := newHarness(t)
	h.toDNIStep("owner")
	h.step("owner", "31456789", dialog.ExpectChoice, i18n.M("questions.intro"))
	wrongData := []string{"María Belén", "Gómez Ruiz", "15/03/1985", "31456789"}
	for i, want := range []i18n.Message{i18n.M("attempts.left", "n", 2), i18n.M("attempts.last")} {
		chat := "stranger-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "1", dialog.ExpectCUIL)
		h.step(chat, maria, dialog.ExpectFirstNames)
		var rs []dialog.Reply
		for _, a := range wrongData {
			rs = h.send(chat, a)
		}
		if !has(rs, want) {
			t.Fatalf("the stranger's mismatch %d, the owner at the questions: want %s:\n%s", i+1, show(want), h.dump(rs))
		}
	}
	if l, err := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation); err != nil || l.LockedAt(h.now) || l.Failures != 2 {
		t.Fatalf("after two mismatches and a round in progress: %+v, %v; want 2 failures, no lock", l, err)
	}
	rs := h.answerQuestions("owner", maria, false)
	if has(rs, i18n.M("validation.stale")) || !has(rs, i18n.M("questions.ok")) {
		t.Fatalf("the owner's round after the stranger's mismatches:\n%s", h.dump(rs))
	}
}
