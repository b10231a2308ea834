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
		// Put off in everyday words, "No pude leer esa fecha" (a people
		// probe).
		{"mejor otro dia", "pause.later"},
		{"mejor mañana", "pause.later"},
		{"lo hago mañana", "pause.later"},
		{"otro dia lo hago", "pause.later"},
		{"mejor lo dejo para mañana", "pause.later"},
		// In the words of an older person, or typed fast, a wait got the
		// step's format hint (a people probe).
		{"aguarde un momento por favor", "pause.ok"},
		{"espere un momentito", "pause.ok"},
		{"un segundo q lo busco", "pause.ok"},
		{"esperame un cachito", "pause.ok"},
		{"voy a buscar el documento", "pause.ok"},
		{"tengo que buscarlo", "pause.ok"},
		{"ahora vuelvo", "pause.ok"},
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

// TestMistakeSaidAtADataStep: "perdon me equivoque" typed where the
// first names, the birth date or the DNI are asked got the lockout's
// warning, "Si fallás la validación 3 veces…" (error.identity_failed
// 0.62; a words probe), to someone who only noticed a typo. A mistake
// said without a value is told how to mend it («volver» for the datum
// before) and the step is asked again; a correction with its value
// ("perdón, me equivoqué, es 21/07/1990") is still taken.
func TestMistakeSaidAtADataStep(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"perdon me equivoque", "uh me equivoqué", "me confundi", "puse mal el dato",
		"ME EQUIVOQUE"} {
		chat := "oops-" + string(rune('a'+i))
		h.toFirstNamesStep(chat)
		rs := h.step(chat, text, dialog.ExpectFirstNames, i18n.M("data.oops"), i18n.M("ask.first_names"))
		if has(rs, i18n.M("faq.answer.error.identity_failed")) {
			t.Errorf("%q got the lockout's warning:\n%s", text, h.dump(rs))
		}
		h.step(chat, "volver", dialog.ExpectCUIL)
	}
	h.toFirstNamesStep("oops-birth")
	h.step("oops-birth", "María Belén", dialog.ExpectLastNames)
	h.step("oops-birth", "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step("oops-birth", "perdon me equivoque", dialog.ExpectBirthDate, i18n.M("data.oops"))
	h.step("oops-birth", "perdón, me equivoqué, es 14/03/1985", dialog.ExpectDNI)
}

// TestEnglishPauseIsNoName: "wait, let me find my dni" typed where the
// first names are asked was taken as her first names and surnames
// ("Noted: your first names and your surnames"), and "i'll continue
// tomorrow" and "bye" as her first names (a words probe in English), each
// a validation bound to fail. They are the pauses and the goodbye they
// say, as in Spanish, and the names typed next are taken.
func TestEnglishPauseIsNoName(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		text string
		want i18n.Key
	}{
		{"wait, let me find my dni", "pause.ok"},
		{"hold on a sec", "pause.ok"},
		{"i'll continue tomorrow", "pause.later"},
		{"I will finish it later", "pause.later"},
		{"bye", "bye.later"},
	}
	for i, tt := range tests {
		chat := "en-pause-" + string(rune('a'+i))
		h.toFirstNamesStep(chat)
		h.step(chat, tt.text, dialog.ExpectFirstNames, i18n.M(tt.want))
		h.step(chat, "María Belén", dialog.ExpectLastNames)
	}
}
