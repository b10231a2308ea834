package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestFormatQuestionAtADataStep: "¿tengo que poner la fecha con barras?"
// where the birth date is asked got «Esa pregunta no la sé responder» or
// «No pude leer esa fecha» (a people probe): a question of how to write
// the datum asked is answered with the step's help (how to type it), then
// the question again, and the datum is taken next.
func TestFormatQuestionAtADataStep(t *testing.T) {
	tests := []struct {
		name   string
		to     func(h *harness, c string)
		expect dialog.Expect
		typed  []string
		help   i18n.Key
		value  string
		next   dialog.Expect
	}{
		{"birth date", (*harness).toBirthDateStep, dialog.ExpectBirthDate, []string{
			"¿tengo que poner la fecha con barras?", "¿la fecha va con barras o con guiones?",
			"¿en qué formato va la fecha?", "como la escribo?", "va con barritas?",
		}, "help.birth_date", "14/03/1985", dialog.ExpectDNI},
		{"DNI", (*harness).toDNIStep, dialog.ExpectDNI, []string{
			"¿el dni va con puntos?", "¿lo pongo con puntos o todo junto?",
		}, "help.dni", "31.456.789", dialog.ExpectChoice},
		{"CUIL", func(h *harness, c string) {
			h.step(c, "hola", dialog.ExpectMenu)
			h.step(c, "1", dialog.ExpectCUIL)
		}, dialog.ExpectCUIL, []string{"¿el cuil va con guiones?", "¿lo escribo con guiones o sin guiones?"}, "help.cuil", maria, dialog.ExpectFirstNames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const c = "chat"
			tt.to(h, c)
			for _, typed := range tt.typed {
				h.step(c, typed, tt.expect, i18n.M(tt.help))
			}
			h.step(c, tt.value, tt.next)
		})
	}
}
