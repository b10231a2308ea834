package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesOfRecoverKeptForCreate: names typed with the request to
// recover ("me olvidé la clave, soy Ana López …") are not asked by
// recovery; when her CUIL turns out to have no key and creating is
// offered, "sí" asked them again (a people probe). They are carried:
// creation goes on to the questions, her DNI and birth date proved
// already, her names taken.
func TestNamesOfRecoverKeptForCreate(t *testing.T) {
	tests := []struct {
		name  string
		begin func(h *harness, c string)
	}{
		{"with the CUIL", func(h *harness, c string) {
			h.step(c, "hola, me olvidé la clave, soy Ana López, mi cuil es "+ana, dialog.ExpectDNI)
		}},
		{"before the CUIL", func(h *harness, c string) {
			h.step(c, "hola, soy Ana López y me olvidé la clave", dialog.ExpectCUIL)
			h.step(c, ana, dialog.ExpectDNI)
		}},
		{"in a list of data with the CUIL", func(h *harness, c string) {
			h.step(c, "hola", dialog.ExpectMenu)
			h.step(c, "2", dialog.ExpectCUIL)
			h.step(c, "Ana López "+ana, dialog.ExpectDNI)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const c = "chat"
			tt.begin(h, c)
			h.step(c, "35999888", dialog.ExpectBirthDate)
			h.step(c, "25/07/1990", dialog.ExpectChoice, i18n.M("key.none_yet"))
			h.step(c, "sí", dialog.ExpectChoice, question1)
		})
	}
}
