package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestDataWithTheRequestWaitForTheCUIL: "soy Lucía Fernández dni
// 35218904 naci el 21/7/90 y quiero crear la clave" started the creation
// and, once the CUIL came, asked the names, the birth date and the DNI
// again (a words probe), where the same data without the request were
// noted and taken. Data typed with the request that starts a flow wait
// for the CUIL as data typed before it do.
func TestDataWithTheRequestWaitForTheCUIL(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"request last", "soy María Belén Gómez Ruiz dni 31456789 naci el 14/03/1985 y quiero crear la clave"},
		{"request first", "quiero crear mi clave, soy María Belén Gómez Ruiz, dni 31.456.789, nací el 14/3/85"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", tc.text, dialog.ExpectCUIL, i18n.M("data.taken"))
			h.step("c", maria, dialog.ExpectChoice)
		})
	}
	// A recovery takes the DNI and the date.
	h := newHarness(t)
	h.step("r", "me olvide la clave. dni 31456789, naci el 14/03/1985", dialog.ExpectCUIL, i18n.M("data.taken"))
	h.step("r", maria, dialog.ExpectChoice, i18n.M("key.none_yet"))
}
