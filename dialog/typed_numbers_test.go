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
