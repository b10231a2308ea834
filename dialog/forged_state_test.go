package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// TestForgedStateProvesNothing writes, as someone who can write to Redis
// but not read the deployment's secret, a state into a chat of their own
// saying it proved María's identity (the state is JSON any writer can
// make), or copies the state of a chat that did into another: no key is
// stored, no contact opened, no agent shown her data unmasked. Before the
// chat's claims were sealed, each of these stored a key for her CUIL or
// opened her contacts.
func TestForgedStateProvesNothing(t *testing.T) {
	const at = `"st":true,"ls":"2026-11-24T15:00:00Z"`
	tests := []struct {
		name  string
		state string // "" copies the state of a chat that validated
		text  string
		check func(t *testing.T, h *harness, rs []dialog.Reply)
	}{
		{"a new key after a forged validation", `{"f":"create","s":"new_key","c":"20314567898","v":true,` + at + `}`, "Mate2025amargo", noKeyStored},
		{"a confirmed key after a forged validation", `{"f":"create","s":"confirm_key","c":"20314567898","v":true,"f2":true,"ks":"s1.AAAAAAAAAAAAAAAA.AAAA",` + at + `}`, "Mate2025amargo", noKeyStored},
		{"a new key after a forged seal", `{"f":"create","s":"new_key","c":"20314567898","vp":"dAAAAAAAAAAAAAAAA",` + at + `}`, "Mate2025amargo", noKeyStored},
		{"a new key in a copied state", "", "Mate2025amargo", noKeyStored},
		{"contacts after a forged new key", `{"s":"menu","c":"20314567898","vp":"gAAAAAAAAAAAAAAAA","ka":1,` + at + `}`, "7",
			func(t *testing.T, h *harness, rs []dialog.Reply) {
				if got := last(rs).Expect; got != dialog.ExpectCUIL {
					t.Fatalf("the contacts opened without the CUIL and the key: expect %q\n%s", got, h.dump(rs))
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			raw := []byte(tt.state)
			if tt.state == "" {
				h.toKeyStep("maria-own")
				raw = h.store.Raw("maria-own")
			}
			h.seed("mallory", raw)
			rs := h.send("mallory", tt.text)
			tt.check(t, h, rs)
			if tt.state != "" && tt.text != "7" && !has(rs, i18n.M("proof.again")) {
				t.Errorf("the person is not told why they must prove who they are again:\n%s", h.dump(rs))
			}
			// Whatever followed, a second entry stores nothing either.
			h.send("mallory", tt.text)
			noKeyStored(t, h, nil)
			if tt.state == "" {
				// The chat that validated goes on.
				h.step("maria-own", "Mate2025amargo", dialog.ExpectConfirmKey)
				h.step("maria-own", "Mate2025amargo", dialog.ExpectMenu, i18n.M("done.create"))
			}
		})
	}
}

// TestForgedValidationIsNotShownToTheDesk: a chat whose state claims a
// validation it did not make is handed over as not validated, so the
// agent sees the data masked.
func TestForgedValidationIsNotShownToTheDesk(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	h.seed("mallory", []byte(`{"f":"create","s":"new_key","c":"20314567898","v":true,"st":true,"ls":"2026-11-24T15:00:00Z"}`))
	h.send("mallory", "hablar con una persona")
	h.send("mallory", "sí")
	desk.mu.Lock()
	defer desk.mu.Unlock()
	for _, q := range desk.queue {
		if q.Validated {
			t.Fatalf("handed over as validated: %+v", q)
		}
	}
}

func noKeyStored(t *testing.T, h *harness, rs []dialog.Reply) {
	t.Helper()
	has, err := h.reg.HasKey(h.ctx, registry.CUIL("20314567898"))
	if err != nil {
		t.Fatal(err)
	}
	if has {
		t.Fatalf("a key was stored for María's CUIL\n%s", h.dump(rs))
	}
}
