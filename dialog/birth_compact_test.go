package dialog_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBirthDateCompactAfterWords: "nací el 14031985" where the birth date
// is asked got "El DNI que escribiste no coincide con tu CUIL" (its
// eight digits read as a DNI), and "nací el 14 3 1985" got "No pude leer
// esa fecha", where "14031985" and "14 3 1985" alone are that date (a
// data probe). After the words said before a birth date, digits alone or
// in three groups are the date there; other words before them are not.
func TestBirthDateCompactAfterWords(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"nací el 14031985", "nací el 14 3 1985", "mi fecha de nacimiento es 140385", "Nací el 14 03 85"} {
		chat := "compact-" + strconv.Itoa(i)
		h.now = h.now.Add(2 * time.Hour) // past the rounds open at once
		h.toBirthDateStep(chat)
		h.step(chat, text, dialog.ExpectDNI)
		h.step(chat, "31456789", dialog.ExpectChoice, question1)
	}
	h.toBirthDateStep("compact-other")
	rs := h.step("compact-other", "mi dni es 31456789", dialog.ExpectBirthDate)
	if has(rs, i18n.M("date.format")) {
		t.Fatalf("a DNI at the birth date:\n%s", h.dump(rs))
	}
}
