package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestPauseInMoreWords: "mañana sigo" typed where the first names are
// asked was taken as her first names ("Mañana Sigo") and the surname
// asked, a validation bound to fail and count toward the CUIL's lock;
// at the birth date and the DNI it got "¡De nada!…"; "espera que busco
// el dni" and "bancame un toque" got the step's format hint (a words
// probe). Only "mañana" or "esperá" alone were read (stepWords). A later
// word with a verb of going on ("sigo", "lo termino", "te escribo"), and a
// wait in the River Plate's words, are the pause they say, at every step
// of a datum; the datum typed next is taken.
func TestPauseInMoreWords(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		text string
		want i18n.Key
	}{
		{"mañana sigo", "pause.later"},
		{"despues sigo", "pause.later"},
		{"sigo mas tarde", "pause.later"},
		{"lo termino mañana", "pause.later"},
		{"espera que busco el dni", "pause.ok"},
		{"bancame un toque", "pause.ok"},
		{"un toque que lo busco", "pause.ok"},
		{"ya vuelvo", "pause.ok"},
	}
	for i, tt := range tests {
		chat := "pause-" + string(rune('a'+i))
		h.toFirstNamesStep(chat)
		h.step(chat, tt.text, dialog.ExpectFirstNames, i18n.M(tt.want))
		h.step(chat, "María Belén", dialog.ExpectLastNames)
		h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
		h.step(chat, tt.text, dialog.ExpectBirthDate, i18n.M(tt.want))
		h.step(chat, "14/03/1985", dialog.ExpectDNI)
		h.step(chat, tt.text, dialog.ExpectDNI, i18n.M(tt.want))
	}
}
