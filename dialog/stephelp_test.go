package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestHelpSaysWhatTheStepAsks: "ayuda" said the same list of words at
// every step (a people probe), where CONVERSATION has it tell what the
// person can do there: what is asked and how to type it, then the words
// always available, and the step's question again.
func TestHelpSaysWhatTheStepAsks(t *testing.T) {
	tests := []struct {
		name   string
		to     func(h *harness, chat string)
		expect dialog.Expect
		want   i18n.Message
	}{
		{"menu", func(h *harness, c string) { h.step(c, "hola", dialog.ExpectMenu) }, dialog.ExpectMenu, i18n.M("help.menu")},
		{"cuil", func(h *harness, c string) { h.step(c, "hola", dialog.ExpectMenu); h.step(c, "1", dialog.ExpectCUIL) },
			dialog.ExpectCUIL, i18n.M("help.cuil")},
		{"first names", (*harness).toFirstNamesStep, dialog.ExpectFirstNames, i18n.M("help.first_names")},
		{"birth date", (*harness).toBirthDateStep, dialog.ExpectBirthDate, i18n.M("help.birth_date")},
		{"dni", (*harness).toDNIStep, dialog.ExpectDNI, i18n.M("help.dni")},
		{"new key", (*harness).toKeyStep, dialog.ExpectNewKey, i18n.M("help.new_key", "min", 8, "max", 15)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.to(h, "c")
			h.step("c", "ayuda", tt.expect, tt.want, i18n.M("help"))
		})
	}
	// At an identity question, where to find its answer.
	h := newHarness(t)
	h.toDNIStep("c")
	h.step("c", "31456789", dialog.ExpectChoice)
	q := h.questions(maria)[0]
	h.step("c", "ayuda", dialog.ExpectChoice, i18n.M(i18n.Key("question.hint."+string(q.Kind))), i18n.M("help"))
}

// TestHelpAtTheNewKeyReadsAsHelp: "ayuda" at the new key began «Ahora
// elegí tu clave», the rules as said when the step opens (a people
// probe): help that reads as the bot going on. It says what the step is
// for, the rules, and how to get an idea, and the rules' opening is not
// said again.
func TestHelpAtTheNewKeyReadsAsHelp(t *testing.T) {
	h := newHarness(t)
	h.toKeyStep("c")
	rs := h.step("c", "ayuda", dialog.ExpectNewKey, i18n.M("help.new_key", "min", 8, "max", 15), i18n.M("help"))
	if has(rs, i18n.M("key.rules")) {
		t.Errorf("help at the new key says the step's opening:\n%s", h.dump(rs))
	}
	// What the help says to type for an idea gives one.
	h.step("c", "no sé qué poner", dialog.ExpectNewKey, i18n.M("key.how_to"))
	h.step("c", "Mate2025amargo", dialog.ExpectConfirmKey)
}
