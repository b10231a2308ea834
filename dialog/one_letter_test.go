package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestOneLetterAnswersNoQuestion: "x" typed at the menu, or as a first
// message (a slip of the thumb), got why the bot asks for personal data
// («Te pido tus datos para confirmar que sos vos…») and «¿Te sirvió esta
// respuesta?» (a people probe): the classifier reads "x" as "por" and is
// sure of it. A message of one letter asks nothing; the bot says what it
// does, as for "k" or "a".
func TestOneLetterAnswersNoQuestion(t *testing.T) {
	for _, text := range []string{"x", "X", "x.", "q", "d"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			h.step("m", "hola", dialog.ExpectMenu)
			rs := h.step("m", text, dialog.ExpectMenu, i18n.M("faq.answer.none"))
			if has(rs, i18n.M("rate.ask")) {
				t.Fatalf("answered and rated:\n%s", h.dump(rs))
			}
			h.step("first", text, dialog.ExpectMenu, i18n.M("welcome"))
		})
	}
}
