package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestCancelAtTheHandoffOffer: "cancelar" where the bot asks whether the
// person, validated, wants to talk to someone of the help desk anyway
// (offer.handoff_validated: the validation would be lost) dropped the
// whole flow («Listo, lo dejamos acá», the menu) and with it the
// validation the offer was there to keep (a people probe). It declines
// the offer: the person is back at the step they were at, validated.
// At a step of no flow, "cancelar" still ends what was going on.
func TestCancelAtTheHandoffOffer(t *testing.T) {
	for _, typed := range []string{"cancelar", "Cancelar.", "cancelá"} {
		t.Run(typed, func(t *testing.T) {
			h := newHarness(t, dialog.WithDesk(&fakeDesk{}))
			h.toKeyStep("c")
			h.step("c", "hablar con una persona", dialog.ExpectChoice, i18n.M("offer.handoff_validated"))
			rs := h.step("c", typed, dialog.ExpectNewKey, i18n.M("ask.new_key"))
			if has(rs, i18n.M("cancel.done")) {
				t.Fatalf("the flow was dropped:\n%s", h.dump(rs))
			}
			h.step("c", "Mate2025amargo", dialog.ExpectConfirmKey)
		})
	}
}
