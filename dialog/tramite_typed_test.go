package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestTramiteAsTyped: the número de trámite typed as a phone groups a
// long number ("00,612,345,678"), or after its label with its digits in
// groups ("el tramite es 006 123 456 78"), where it is asked got "El
// número de trámite tiene 11 números" or what the número de trámite is
// (a words probe). Eleven digits where the trámite is asked are the
// trámite, whatever separates them.
func TestTramiteAsTyped(t *testing.T) {
	for _, typed := range []string{
		"00612345678",
		"006.123.456.78",
		"00,612,345,678",
		"006,1234,5678",
		"el tramite es 006 123 456 78",
		"tramite: 00,612,345,678",
		"nro de tramite 006.123.456.78",
	} {
		t.Run(typed, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "me olvidé la clave", dialog.ExpectCUIL)
			h.step("c", juan, dialog.ExpectDNI)
			h.step("c", "40111222", dialog.ExpectBirthDate)
			h.step("c", "02/11/1997", dialog.ExpectTramite)
			h.step("c", typed, dialog.ExpectChoice)
		})
	}
}
