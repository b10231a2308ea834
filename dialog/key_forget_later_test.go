package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestWhatIfIForgetTheKey: "¿qué hago si me la olvido?" where the new key
// is asked, or confirmed, got "Dale, elegí la clave de nuevo", the key
// just chosen thrown away and the question unanswered (a words probe):
// "olvid" read as not remembering the key typed. Asked as "what if", it
// is how a forgotten key is recovered; a key chosen is kept.
func TestWhatIfIForgetTheKey(t *testing.T) {
	for _, q := range []string{"¿qué hago si me la olvido?", "y si me olvido la clave que hago", "what if I forget it?"} {
		t.Run(q, func(t *testing.T) {
			h := newHarness(t)
			h.toKeyStep("c")
			rs := h.step("c", q, dialog.ExpectNewKey, i18n.M("faq.answer.key.recover"))
			if has(rs, i18n.M("key.choose_again")) {
				t.Fatalf("told to choose the key again:\n%s", h.dump(rs))
			}
			h.step("c", "Mate2025amargo", dialog.ExpectConfirmKey)
			h.step("c", q, dialog.ExpectConfirmKey, i18n.M("faq.answer.key.recover"))
			h.step("c", "Mate2025amargo", dialog.ExpectMenu, i18n.M("done.create"))
		})
	}
}
