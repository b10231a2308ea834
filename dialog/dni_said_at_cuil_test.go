package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestDNISaidWhereTheCUILIsAsked: "mi dni es 35.218.904" where recovery
// asks the CUIL got "Eso parece un número de DNI", and once the CUIL came
// the DNI was asked again (a people probe): the person had named it. A
// DNI said as the DNI is noted, and the CUIL explained and asked; a bare
// number is still told from a CUIL (TestCUILDiagnostics).
func TestDNISaidWhereTheCUILIsAsked(t *testing.T) {
	for _, tc := range []struct {
		name, flow, said string
		next             dialog.Expect
	}{
		{"recover", "2", "mi dni es 31.456.789", dialog.ExpectBirthDate},
		{"create", "1", "DNI: 31456789", dialog.ExpectFirstNames},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", tc.flow, dialog.ExpectCUIL)
			h.step("c", tc.said, dialog.ExpectCUIL, i18n.M("data.taken"), i18n.M("faq.answer.cuil.find"))
			h.step("c", maria, tc.next)
			if tc.flow == "1" {
				h.step("c", "María Belén", dialog.ExpectLastNames)
				h.step("c", "Gómez Ruiz", dialog.ExpectBirthDate)
				h.step("c", "14/03/1985", dialog.ExpectChoice, question1)
				return
			}
			h.step("c", "14/03/1985", dialog.ExpectChoice, i18n.M("key.none_yet"))
		})
	}
	// Another person's DNI, then a CUIL: said not to match, asked again.
	h := newHarness(t)
	h.step("o", "hola", dialog.ExpectMenu)
	h.step("o", "2", dialog.ExpectCUIL)
	h.step("o", "mi dni es 40111222", dialog.ExpectCUIL, i18n.M("data.taken"))
	h.step("o", maria, dialog.ExpectDNI, i18n.M("carry.dropped"))
}
