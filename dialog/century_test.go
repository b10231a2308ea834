package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBirthYearOfTwoDigitsInDoubt: "10/6/25", a woman of 101 writing her
// birth date as she always has, was read as 10/06/2025 (two-digit years
// go to the century that puts the date before today), judged against her
// record and counted one of the three attempts (a data probe with a
// citizen born in 1925). A two-digit year that makes the person a child
// under 16, and someone of 110 or less a century before, is asked again
// with the year whole, nothing judged; a date of either reading alone is
// taken. Only the date typed is read, never the record.
func TestBirthYearOfTwoDigitsInDoubt(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"14/3/25", "14-03-25", "14 de marzo del 25", "nací el 14/3/25", "14 / 3 / 25"} {
		chat := "century-" + string(rune('a'+i))
		h.toBirthDateStep(chat)
		h.step(chat, text, dialog.ExpectBirthDate, i18n.M("date.full_year"))
		h.step(chat, "14/03/1985", dialog.ExpectDNI)
	}
	// 1985 or 2085: the later is no birth date. 2011 or 1911: no one is
	// 115. Written whole, the year is in no doubt.
	for i, text := range []string{"14/3/85", "14/3/11", "14/03/2025", "14/03/1925"} {
		chat := "century-sure-" + string(rune('a'+i))
		h.toBirthDateStep(chat)
		rs := h.step(chat, text, dialog.ExpectDNI)
		if has(rs, i18n.M("date.full_year")) {
			t.Fatalf("%q was asked again:\n%s", text, h.dump(rs))
		}
	}
}
