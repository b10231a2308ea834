package dialog_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// TestForgedFactorStepProvesNothing is the forged-state attack (see
// TestForgedStateProvesNothing) on the second factor's step, which a
// chat reaches only after the identity questions or the current key, and
// which claimed nothing sealed: someone who can write to Redis, but not
// read the deployment's secret, puts in a chat of their own a place at
// the code sent to María's verified contact, and asks for it again
// («Reenviar el código»). The step asked the registry for her verified
// contacts: she has none, so her identity was taken as proved, with no
// question asked, and a key stored for her CUIL, her key changed, or her
// contacts opened to be replaced; with one, a code went to it for a chat
// that proved nothing. Now the step holds only for a chat whose sealed
// claims say it proved who it is (the questions or the current key) or
// validated; a forged one gets what a forged proof gets.
func TestForgedFactorStepProvesNothing(t *testing.T) {
	const at = `"st":true,"ls":"2026-11-24T15:00:00Z"`
	const key = "Mate2025amargo"
	tests := []struct {
		name, state, text string
		hasKey            bool // María has a key before
	}{
		{"create, the code again", `{"f":"create","s":"factor","c":"20314567898",` + at + `}`, "reenviar", false},
		{"create, the option", `{"f":"create","s":"factor","c":"20314567898",` + at + `}`, "1", false},
		{"recover, the code again", `{"f":"recover","s":"factor","c":"20314567898",` + at + `}`, "reenviar", true},
		{"change, the code again", `{"f":"change","s":"factor","c":"20314567898",` + at + `}`, "reenviar", true},
		{"contacts, the code again", `{"f":"contact","s":"factor","c":"20314567898",` + at + `}`, "reenviar", true},
		{"back to the factor from an offer", `{"s":"offer","c":"20314567898","o":{"ok":"handoff","rs":"requested","m":{"k":"offer.handoff"}},"r":{"f":"create","s":"factor"},` + at + `}`, "no", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &events{}
			h := newHarness(t, dialog.WithRecorder(rec), dialog.WithDesk(&fakeDesk{}))
			cuil := registry.CUIL("20314567898")
			var before time.Time
			if tt.hasKey {
				h.toKeyStep("maria-own")
				h.step("maria-own", key, dialog.ExpectConfirmKey)
				h.step("maria-own", key, dialog.ExpectMenu, i18n.M("done.create"))
				var err error
				if before, err = h.reg.KeySetAt(h.ctx, cuil); err != nil || before.IsZero() {
					t.Fatalf("María's key: %v %v", before, err)
				}
				h.now = h.now.Add(time.Minute)
			}
			h.seed("mallory", []byte(tt.state))
			rs := h.send("mallory", tt.text)
			if tt.text == "no" {
				rs = append(rs, h.send("mallory", "reenviar")...)
			}
			if e := lastExpect(rs); e == dialog.ExpectNewKey || e == dialog.ExpectEmail || has(rs, i18n.M("contacts.ask")) {
				t.Fatalf("María's identity taken as proved:\n%s", h.dump(rs))
			}
			for _, text := range []string{"Yerba2026dulce", "Yerba2026dulce"} {
				h.send("mallory", text)
			}
			if after, err := h.reg.KeySetAt(h.ctx, cuil); err != nil || !after.Equal(before) {
				t.Fatalf("María's key was stored: %v, before %v (%v)", after, before, err)
			}
			if !has(rs, i18n.M("proof.again")) {
				t.Errorf("the person is not told why they must prove who they are again:\n%s", h.dump(rs))
			}
			if len(rec.named("proof_dropped")) == 0 {
				t.Errorf("the forged step was not counted as proof_dropped")
			}
		})
	}
}
