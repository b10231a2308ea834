package dialog_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// TestDatesWithSpacesAroundSeparators: "14 / 03 / 1985", "14 - 3 - 85"
// where the birth date is asked got "No pude leer esa fecha", and the
// same at an identity question whose options are dates (a data probe),
// where "14/03/1985" is read. Spaces around a date's separators, and a
// backslash for the slash, are the date, at its step, in a sentence and
// as the answer to a question.
func TestDatesWithSpacesAroundSeparators(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"14 / 03 / 1985", "14 - 3 - 85", "14 . 03 . 1985", "14/03 /1985", "14 /3/ 85",
		"14\\03\\1985", "nací el 14 / 03 / 1985", "el 14 del 3 del 85", "marzo 14 de 1985", "14 de mar 1985"} {
		chat := "spaced-" + strconv.Itoa(i)
		h.now = h.now.Add(2 * time.Hour) // past the rounds open at once
		h.toBirthDateStep(chat)
		h.step(chat, text, dialog.ExpectDNI)
		h.step(chat, "31456789", dialog.ExpectChoice, question1)
	}

	// Juan Pérez's questions ask his DNI's issue date.
	const chat = "spaced-question"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, juan, dialog.ExpectFirstNames)
	h.step(chat, "Juan", dialog.ExpectLastNames)
	h.step(chat, "Pérez", dialog.ExpectBirthDate)
	h.step(chat, "2 - 11 - 97", dialog.ExpectDNI)
	h.step(chat, "40111222", dialog.ExpectTramite)
	h.step(chat, "00612345678", dialog.ExpectChoice)
	rs, dated := []dialog.Reply(nil), false
	for _, q := range h.questions(juan) {
		a := strconv.Itoa(q.Answer + 1)
		if q.Kind == registry.QuestionIssueDate {
			a, dated = strings.ReplaceAll(q.Options[q.Answer].Text, "/", " / "), true
		}
		rs = h.send(chat, a)
	}
	if !dated {
		t.Fatal("no question of dates to answer")
	}
	if got := last(rs).Expect; got != dialog.ExpectNewKey {
		t.Fatalf("after the questions answered: expect %q, want %q\n%s", got, dialog.ExpectNewKey, h.dump(rs))
	}
	h.step("spaced-cuil", "hola", dialog.ExpectMenu)
	h.step("spaced-cuil", "nací el 14 / 03 / 1985", dialog.ExpectMenu, i18n.M("data.taken"))
}
