package dialog_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestDNIWithThousandsSeparators: "31,456,789" (the thousands as a phone
// set in English groups them) where the DNI is asked got "El DNI tiene 7
// u 8 números", and "mi dni es el 31,456,789" too (a data probe; "35 218
// 904", "DNI: 35218904" were read). A DNI in groups of three with
// commas, dashes or apostrophes is that DNI, alone and in a sentence, and
// at the CUIL's step it is told to be a DNI; a date typed with commas is
// still no DNI.
func TestDNIWithThousandsSeparators(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"31,456,789", "31-456-789", "31'456'789", "mi dni es el 31,456,789",
		"DNI: 31,456,789.", "31 456 789", "mi dni es el 31456789", "dni 31.456.789"} {
		chat := "thousands-" + strconv.Itoa(i)
		h.now = h.now.Add(2 * time.Hour) // past the rounds open at once
		h.toDNIStep(chat)
		h.step(chat, text, dialog.ExpectChoice, i18n.M("questions.intro"), question1)
	}
	const chat = "thousands-date"
	h.now = h.now.Add(2 * time.Hour)
	h.toDNIStep(chat)
	h.step(chat, "14,03,1985", dialog.ExpectDNI, i18n.M("dni.format"))
	h.step(chat, "31,456,789", dialog.ExpectChoice, question1)

	h.step("thousands-cuil", "hola", dialog.ExpectMenu)
	h.step("thousands-cuil", "1", dialog.ExpectCUIL)
	h.step("thousands-cuil", "31,456,789", dialog.ExpectCUIL, i18n.M("cuil.is_dni"))
}
