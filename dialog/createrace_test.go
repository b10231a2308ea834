package dialog_test

import (
	"context"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// noKeyYet is the registry as a chat saw it when it checked, just before
// storing its key, that the CUIL had none: another chat's key, stored in
// the moment between that check and this chat's write, not there yet.
type noKeyYet struct{ *registry.Service }

func (noKeyYet) HasKey(context.Context, registry.CUIL) (bool, error) { return false, nil }

// Two chats that proved the same person, creating the key at the same
// moment, both found no key and both stored theirs: the second replaced
// the first, whose owner had been told "creada" (an attack probe: the
// check and the write were apart). The second creation is refused by the
// registry and offered recovery, as when the key was there at the check;
// the first key stays.
func TestCreationsAtOnceKeepTheFirstKey(t *testing.T) {
	h := newHarness(t)
	h.toKeyStep("late")
	withKey(h, "Primera2024a")
	h.eng = dialog.New(h.store, noKeyYet{h.reg}, h.cat, h.opts...)
	h.step("late", "Tardia2025x", dialog.ExpectConfirmKey)
	h.step("late", "Tardia2025x", dialog.ExpectChoice, i18n.M("create.has_key"))
	if res, err := h.reg.Verify(h.ctx, "20314567898", "Primera2024a", "test"); err != nil || res.Status != registry.VerifyOK {
		t.Fatalf("the key created first was replaced: %+v, %v", res, err)
	}
}
