package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBirthYearCorrectedAlone: "perdón, era 1985" typed where the DNI is
// asked, after a birth date with the wrong year, got "El DNI tiene 7 u 8
// números", the correction dropped, and the DNI typed next failed the
// validation on the date and counted toward the CUIL's lock (a data
// probe). A correction that gives only the year is told to write the
// whole date, asked at its step, and the step it interrupted is asked
// after it. A year said with no word of a correction is not one.
func TestBirthYearCorrectedAlone(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"perdón, era 1985", "perdon naci en 1985", "me equivoqué, el año es 1985", "Perdón!! 1985"} {
		chat := "year-" + string(rune('a'+i))
		h.toBirthDateStep(chat)
		h.step(chat, "14/03/1986", dialog.ExpectDNI)
		h.step(chat, text, dialog.ExpectBirthDate, i18n.M("date.correct_whole"), i18n.M("ask.birth_date"))
		h.step(chat, "14/03/1985", dialog.ExpectDNI)
		h.step(chat, "31.456.789", dialog.ExpectChoice)
	}
	const chat = "year-names"
	h.toFirstNamesStep(chat)
	h.step(chat, "María Belén", dialog.ExpectLastNames)
	h.step(chat, "perdón, era 1985", dialog.ExpectLastNames)
	h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step(chat, "14/03/1985", dialog.ExpectDNI)
	h.step(chat, "1985", dialog.ExpectDNI)
}
