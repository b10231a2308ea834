package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestRequirementsAtTheNewKeyAreTheKeysRules: "¿cuáles son los
// requisitos de la clave?" where the new key is asked got what is needed
// to create one (CUIL, DNI, internet), a person past all of it, the rules
// of the key they are choosing unsaid (a people probe). There the
// requirements are the key's rules; the key is asked again.
func TestRequirementsAtTheNewKeyAreTheKeysRules(t *testing.T) {
	for _, q := range []string{"cuales son los requisitos de la clave", "¿Qué requisitos tiene que cumplir?"} {
		t.Run(q, func(t *testing.T) {
			h := newHarness(t)
			h.toKeyStep("c")
			rs := h.step("c", q, dialog.ExpectNewKey, i18n.M("faq.answer.key.password_rules"))
			if has(rs, i18n.M("faq.answer.key.requirements")) {
				t.Errorf("%q got what creating a key needs:\n%s", q, h.dump(rs))
			}
			h.step("c", "Mate2025amargo", dialog.ExpectConfirmKey)
			rs = h.step("c", q, dialog.ExpectConfirmKey, i18n.M("faq.answer.key.password_rules"))
			if has(rs, i18n.M("faq.answer.key.requirements")) {
				t.Errorf("%q at the confirmation got what creating a key needs:\n%s", q, h.dump(rs))
			}
		})
	}
}
