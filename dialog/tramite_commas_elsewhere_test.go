package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestTramiteWithCommasIsNoDNI: the número de trámite typed as a phone
// groups it ("00,512,345,678", "005,1234,5678") anywhere but its own step
// read as the DNI "00512345" (its first three groups, as a DNI's
// thousands; only a trámite that happens to be a valid CUIL was read
// whole): "27340615 tramite 00,512,345,678" at the DNI replaced the right
// DNI and got "El DNI que escribiste no coincide con tu CUIL" (a
// words probe). Eleven digits in comma groups are one number, read as
// the same digits without commas are.
func TestTramiteWithCommasIsNoDNI(t *testing.T) {
	for _, tc := range []struct{ name, at, text string }{
		{"with the DNI", "dni", "40111222 tramite 00,512,345,678"},
		{"with the DNI, in fours", "dni", "40111222, tramite 005,1234,5678"},
		{"before the DNI", "dni", "tramite 00,512,345,678 dni 40.111.222"},
		{"with the CUIL", "cuil", juan + " tramite 00,512,345,678"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "me olvidé la clave", dialog.ExpectCUIL)
			if tc.at == "cuil" {
				rs := h.step("c", tc.text, dialog.ExpectDNI)
				if has(rs, i18n.M("dni.not_cuil")) {
					t.Fatalf("the trámite read as a DNI:\n%s", h.dump(rs))
				}
				h.step("c", "40111222", dialog.ExpectBirthDate)
				return
			}
			h.step("c", juan, dialog.ExpectDNI)
			h.step("c", tc.text, dialog.ExpectBirthDate)
		})
	}
	// Alone where the DNI is asked, it is what the same digits without
	// commas are: too long for a DNI, never a DNI that is not the CUIL's.
	for _, typed := range []string{"00512345678", "00,512,345,678", "005,1234,5678"} {
		t.Run("alone "+typed, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "me olvidé la clave", dialog.ExpectCUIL)
			h.step("c", juan, dialog.ExpectDNI)
			h.step("c", typed, dialog.ExpectDNI, i18n.M("dni.format"))
		})
	}
}
