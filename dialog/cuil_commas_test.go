package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestCUILWithCommas: "20,31456789,8" where the CUIL is asked got "El
// CUIL tiene 11 números" for its eleven digits, and in a sentence it was
// not read (a data probe; the thousands of a DNI are typed with commas
// too). Commas between a CUIL's groups are separators, as dashes are; a
// comma and a space still part two numbers.
func TestCUILWithCommas(t *testing.T) {
	h := newHarness(t)
	h.step("commas", "hola", dialog.ExpectMenu)
	h.step("commas", "1", dialog.ExpectCUIL)
	h.step("commas", "20,31456789,8", dialog.ExpectFirstNames)

	h.step("commas-sentence", "hola", dialog.ExpectMenu)
	h.step("commas-sentence", "quiero crear mi clave, mi cuil es 20,31456789,8", dialog.ExpectFirstNames)

	h.step("commas-thousands", "hola", dialog.ExpectMenu)
	h.step("commas-thousands", "1", dialog.ExpectCUIL)
	h.step("commas-thousands", "20-31,456,789-8", dialog.ExpectFirstNames)

	h.step("commas-list", "hola", dialog.ExpectMenu)
	h.step("commas-list", "1", dialog.ExpectCUIL)
	h.step("commas-list", "20314567898, 31456789, 14/03/1985", dialog.ExpectFirstNames, i18n.M("data.taken"))
}
