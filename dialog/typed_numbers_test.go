package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// "-1" at the menu started option 1 (a contract probe of chat --jsonl):
// its minus sign was dropped as punctuation, where CONTRACT §3 takes an
// option's 1-based number and -1 is none.
func TestNegativeNumberIsNoOption(t *testing.T) {
	h := newHarness(t)
	const chat = "negative"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "-1", dialog.ExpectMenu, i18n.M("choice.invalid"))
	h.step(chat, "1.", dialog.ExpectCUIL)
}

// "１", the digit a Chinese or Japanese keyboard types, was not read as 1
// at the menu, and a CUIL, a date or a DNI in those digits was not read at
// all (a contract probe of chat --jsonl): "Eso no lo sé responder", "No
// pude leer esa fecha". The minus sign (U+2212) is a dash in a CUIL and a
// minus before a number.
func TestFullwidthDigitsAreRead(t *testing.T) {
	h := newHarness(t)
	const chat = "fullwidth"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "−2", dialog.ExpectMenu, i18n.M("choice.invalid"))
	h.step(chat, "１", dialog.ExpectCUIL)
	h.step(chat, "２０－３１４５６７８９−８", dialog.ExpectFirstNames)
	h.step(chat, "María Belén", dialog.ExpectLastNames)
	h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step(chat, "１４／０３／１９８５", dialog.ExpectDNI)
	h.step(chat, "３１４５６７８９", dialog.ExpectChoice)
}
