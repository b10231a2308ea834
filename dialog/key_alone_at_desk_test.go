package dialog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestKeyTypedAloneInTheDesksLine: a key typed alone while waiting for a
// person ("Recupero2030e", maybe for the agent) reached the desk masked,
// but the turn was not secret, so the channel left it in the chat's
// history, and the person was not told, where "mi clave es
// Recupero2030e" was both (1340616 left the desk out of the key typed
// alone). It is now as that message: told, deleted where the channel
// can, and still relayed, masked.
func TestKeyTypedAloneInTheDesksLine(t *testing.T) {
	for _, text := range []string{"Recupero2030e", "mi clave es Recupero2030e"} {
		t.Run(text, func(t *testing.T) {
			desk := &fakeDesk{}
			h := newHarness(t, dialog.WithDesk(desk))
			h.toDNIStep("c")
			h.step("c", "hablar con una persona", dialog.ExpectText, i18n.M("handoff.queued"))
			res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: "c", ID: "k", Text: text, Channel: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Secret || !has(res.Replies, i18n.M("input.key_typed")) {
				t.Errorf("secret=%v:\n%s", res.Secret, h.dump(res.Replies))
			}
			if len(desk.relayed) != 1 || slices.ContainsFunc(desk.relayed, func(s string) bool { return strings.Contains(s, "Recupero2030e") }) {
				t.Errorf("relayed %q", desk.relayed)
			}
			// Still in the line: "cancelar" goes back to the DNI.
			h.step("c", "cancelar", dialog.ExpectDNI, i18n.M("handoff.back"))
		})
	}
}
