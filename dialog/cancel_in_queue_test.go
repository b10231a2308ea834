package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestCancelInTheQueueGoesBack: "cancelar" while waiting in the desk's
// line («Si querés volver conmigo, escribí «cancelar»») left the line
// and dropped the flow the person was in («Saliste de la fila», the
// menu), with the validation done and the data given. It leaves the line
// and the person is back where they were: validated at the new key, or
// at the datum asked. With an agent it ends that conversation, at the
// menu, as before.
func TestCancelInTheQueueGoesBack(t *testing.T) {
	tests := []struct {
		name   string
		to     func(h *harness, c string)
		expect dialog.Expect
		then   func(h *harness, c string)
	}{
		{"validated, at the new key", func(h *harness, c string) {
			h.toKeyStep(c)
			h.step(c, "hablar con una persona", dialog.ExpectChoice, i18n.M("offer.handoff_validated"))
			h.step(c, "sí", dialog.ExpectText, i18n.M("handoff.queued"))
		}, dialog.ExpectNewKey, func(h *harness, c string) {
			h.step(c, "Mate2025amargo", dialog.ExpectConfirmKey)
			h.step(c, "Mate2025amargo", dialog.ExpectMenu, i18n.M("done.create"))
		}},
		{"at the DNI", func(h *harness, c string) {
			h.toDNIStep(c)
			h.step(c, "hablar con una persona", dialog.ExpectText, i18n.M("handoff.queued"))
		}, dialog.ExpectDNI, func(h *harness, c string) {
			h.step(c, "31.456.789", dialog.ExpectChoice, question1)
		}},
		{"at the questions", func(h *harness, c string) {
			h.toDNIStep(c)
			h.step(c, "31.456.789", dialog.ExpectChoice, question1)
			h.step(c, "hablar con una persona", dialog.ExpectText, i18n.M("handoff.queued"))
		}, dialog.ExpectChoice, func(h *harness, c string) {
			// The round, given back at the hand-over, starts again.
			if rs := h.answerQuestions(c, maria, false); last(rs).Expect != dialog.ExpectNewKey {
				h.t.Fatalf("after the questions:\n%s", h.dump(rs))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, dialog.WithDesk(&fakeDesk{}))
			tt.to(h, "c")
			rs := h.step("c", "cancelar", tt.expect, i18n.M("handoff.left"), i18n.M("handoff.back"))
			if has(rs, i18n.M("proof.again")) {
				t.Fatalf("the validation was lost:\n%s", h.dump(rs))
			}
			tt.then(h, "c")
		})
	}
	t.Run("with an agent", func(t *testing.T) {
		desk := &fakeDesk{}
		h := newHarness(t, dialog.WithDesk(desk))
		h.toDNIStep("c")
		h.step("c", "hablar con una persona", dialog.ExpectText, i18n.M("handoff.queued"))
		desk.taken = true
		h.step("c", "cancelar", dialog.ExpectMenu, i18n.M("handoff.left_agent"))
	})
}
