package dialog_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesTypedInEachOthersPlace: "Gómez Ruiz" typed where the names are
// asked and "María Belén" where the surnames are (the card shows the
// surnames first) went on to the date and the DNI, and the validation
// failed and counted one of the three attempts (the last session's
// leftover, reproduced with chat --jsonl). Surnames made only of known
// given names, after first names holding none, are told to look like a
// name: «volver» fixes the names with nothing counted; typed again, they
// are taken as typed, and a mismatch then counts and names the swap, as
// any. What is said depends on the words typed, never on the record: the
// same for any CUIL, so it tells an attacker nothing.
func TestNamesTypedInEachOthersPlace(t *testing.T) {
	h := newHarness(t)
	const fixed = "swap-fixed"
	h.toFirstNamesStep(fixed)
	h.step(fixed, "Gómez Ruiz", dialog.ExpectLastNames)
	h.step(fixed, "María Belén", dialog.ExpectLastNames, i18n.M("names.given_as_surname"))
	h.step(fixed, "volver", dialog.ExpectFirstNames)
	h.step(fixed, "María Belén", dialog.ExpectLastNames)
	h.step(fixed, "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step(fixed, "14/03/1985", dialog.ExpectDNI)
	h.step(fixed, "31456789", dialog.ExpectChoice, question1)

	const insisted = "swap-insisted"
	h.now = h.now.Add(2 * time.Hour) // the round above given back
	h.toFirstNamesStep(insisted)
	h.step(insisted, "Gómez Ruiz", dialog.ExpectLastNames)
	h.step(insisted, "María Belén", dialog.ExpectLastNames, i18n.M("names.given_as_surname"))
	h.step(insisted, "María Belén", dialog.ExpectBirthDate)
	h.step(insisted, "14/03/1985", dialog.ExpectDNI)
	h.step(insisted, "31456789", dialog.ExpectFirstNames,
		i18n.M("data.mismatch"), i18n.M("mismatch.swapped_fields"), i18n.M("attempts.left", "n", 2))

	// Another CUIL, whose record holds other names: the same warning.
	const other = "swap-other"
	h.step(other, "hola", dialog.ExpectMenu)
	h.step(other, "1", dialog.ExpectCUIL)
	h.step(other, juan, dialog.ExpectFirstNames)
	h.step(other, "Gómez Ruiz", dialog.ExpectLastNames)
	h.step(other, "María Belén", dialog.ExpectLastNames, i18n.M("names.given_as_surname"))

	// A surname that is also a given name, after first names that are
	// given names, or after names in no list, is taken at once.
	for _, names := range [][2]string{{"María Belén", "Paz"}, {"Lucía", "Santos"}, {"Oksana", "Kovalenko"}, {"Wang", "Li"}} {
		chat := "swap-none-" + names[1]
		h.toFirstNamesStep(chat)
		h.step(chat, names[0], dialog.ExpectLastNames)
		rs := h.step(chat, names[1], dialog.ExpectBirthDate)
		if has(rs, i18n.M("names.given_as_surname")) {
			t.Fatalf("%q after %q warned:\n%s", names[1], names[0], h.dump(rs))
		}
	}
}
