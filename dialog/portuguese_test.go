package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestPortugueseIsUnderstood: people from Brazil or the border write to
// the service in Portuguese, or in a Spanish full of it. "esqueci minha
// senha" was thanked as names («Gracias. Para empezar, elegí…»), "oi tudo
// bem, preciso fazer minha senha" and "ola, nao consigo entrar no mi
// anses" got the welcome alone (a people probe). They ask what they ask
// in Spanish; the bot answers in its language.
func TestPortugueseIsUnderstood(t *testing.T) {
	for _, tc := range []struct {
		first, text string
		expect      dialog.Expect
		want        i18n.Key
	}{
		{"", "oi tudo bem, preciso fazer minha senha", dialog.ExpectCUIL, "create.checklist"},
		{"oi, boa tarde", "esqueci minha senha", dialog.ExpectCUIL, "recover.intro"},
		{"", "ola, nao consigo entrar no mi anses", dialog.ExpectChoice, "faq.cannot_get_in"},
		{"oi", "quero trocar minha senha", dialog.ExpectCUIL, "change.intro"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			h := newHarness(t)
			if tc.first != "" {
				h.step("c", tc.first, dialog.ExpectMenu)
			}
			h.step("c", tc.text, tc.expect, i18n.M(tc.want))
		})
	}
	// Thanks in Portuguese where a name is asked is no name.
	h := newHarness(t)
	h.toFirstNamesStep("n")
	h.step("n", "obrigada", dialog.ExpectFirstNames)
}
