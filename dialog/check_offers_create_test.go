package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestCheckWithoutKeyOffersCreating: the troubleshooting check told a
// person who proved the CUIL theirs «Todavía no tiene una clave creada.»
// and showed the problems' menu again, with nothing offered to do about
// it (a people probe). The creation is offered on that CUIL; a "no" comes
// back to the problems' menu.
func TestCheckWithoutKeyOffersCreating(t *testing.T) {
	check := func(h *harness, chat string) {
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "4", dialog.ExpectChoice)
		h.step(chat, "¿Se creó mi clave?", dialog.ExpectChoice, i18n.M("trouble.offer_check"))
		h.step(chat, "sí", dialog.ExpectCUIL)
		h.step(chat, maria, dialog.ExpectDNI, i18n.M("check.prove"))
		h.step(chat, "31456789", dialog.ExpectBirthDate)
		rs := h.step(chat, "14/03/1985", dialog.ExpectChoice, i18n.M("check.no_key"), i18n.M("check.offer_create"))
		// One question at a time: the problems' menu is not shown
		// before the offer that replaces it.
		if has(rs, i18n.M("trouble.ask")) {
			h.t.Fatalf("two questions at once:\n%s", h.dump(rs))
		}
	}
	t.Run("yes", func(t *testing.T) {
		h := newHarness(t)
		check(h, "c")
		// The CUIL is not asked again.
		h.step("c", "sí", dialog.ExpectFirstNames, i18n.M("create.checklist"))
	})
	t.Run("no", func(t *testing.T) {
		h := newHarness(t)
		check(h, "c")
		h.step("c", "no", dialog.ExpectChoice, i18n.M("trouble.ask"))
	})
}
