package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestQuestionAtTheCurrentKeyIsAnswered: "¿distingue mayúsculas y
// minúsculas?" where changing asks the current key got «Eso no es una
// clave: la tuya tiene letras y números», the question unanswered, where
// the same kind of question at the new key is (a people probe). A
// question typed there is answered, not counted, and the key asked again.
func TestQuestionAtTheCurrentKeyIsAnswered(t *testing.T) {
	for _, q := range []string{"¿distingue mayúsculas y minúsculas?", "¿puede tener símbolos?"} {
		t.Run(q, func(t *testing.T) {
			h := newHarness(t)
			withKey(h, "Primera2024a")
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", "3", dialog.ExpectCUIL)
			h.step("c", maria, dialog.ExpectCurrentKey)
			rs := h.step("c", q, dialog.ExpectCurrentKey, i18n.M("faq.answer.key.password_rules"))
			if has(rs, i18n.M("change.not_a_key")) {
				t.Errorf("%q:\n%s", q, h.dump(rs))
			}
			h.step("c", "Primera2024a", dialog.ExpectNewKey)
		})
	}
}
