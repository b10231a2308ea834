package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNeedKeyForABenefitOffersCreating: "¿necesito la clave para la
// AUH?" got what the key is for and «¿Te sirvió esta respuesta?» (a
// people probe): the person asks because they have none. After the
// answer, creating it is offered; "sí" starts it, "no" leaves the menu.
// What it is for, asked without a need or a benefit, is rated as before.
func TestNeedKeyForABenefitOffersCreating(t *testing.T) {
	for _, q := range []string{"¿necesito la clave para la AUH?", "necesito la clave para la jubilacion?",
		"la clave sirve para la jubilación?",
		// Typed as said, in capitals ("NESESITO" got what the key is
		// for and the rating: a people probe).
		"HOLA BUENAS NESESITO LA CLAVE DE ANSES PARA COBRAR LA JUBILACION", "nesecito la clave para cobrar la auh?"} {
		t.Run(q, func(t *testing.T) {
			h := newHarness(t)
			h.step("first", q, dialog.ExpectChoice, i18n.M("faq.answer.key.uses"), i18n.M("faq.offer_create"))
			h.step("first", "sí", dialog.ExpectCUIL, i18n.M("create.checklist"))

			h.step("menu", "hola", dialog.ExpectMenu)
			h.step("menu", q, dialog.ExpectChoice, i18n.M("faq.offer_create"))
			h.step("menu", "no", dialog.ExpectMenu)
		})
	}
	h := newHarness(t)
	if rs := h.step("uses", "¿para qué sirve la clave?", dialog.ExpectChoice, i18n.M("faq.answer.key.uses")); has(rs, i18n.M("faq.offer_create")) {
		t.Errorf("creating offered:\n%s", h.dump(rs))
	}
}
