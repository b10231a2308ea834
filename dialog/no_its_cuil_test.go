package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNoItIsAnotherCUILAtADataStep: "no, es 20-…" typed where a datum is
// asked, right after the CUIL (the person sees they gave the wrong one),
// got the answer to whether this chat is official («Soy el asistente de
// ANSES… solo te pido una clave en los pasos…», a people probe), and the
// CUIL typed was lost; "me equivoqué, mi cuil es 20-…" was offered to
// start over with it. "No, es …" corrects as "me equivoqué" does.
func TestNoItIsAnotherCUILAtADataStep(t *testing.T) {
	for _, said := range []string{"no, es ", "no es ", "No. Es ", "no, era ", "no, it's "} {
		t.Run(said, func(t *testing.T) {
			h := newHarness(t)
			h.step("r", "hola", dialog.ExpectMenu)
			h.step("r", "2", dialog.ExpectCUIL)
			h.step("r", ana, dialog.ExpectDNI)
			rs := h.step("r", said+maria, dialog.ExpectChoice, i18n.M("offer.other_cuil"))
			if has(rs, i18n.M("faq.answer.bot.official")) {
				t.Fatalf("answered as a question:\n%s", h.dump(rs))
			}
			h.step("r", "sí", dialog.ExpectDNI)

			h.toFirstNamesStep("c")
			h.step("c", said+ana, dialog.ExpectChoice, i18n.M("offer.other_cuil"))
		})
	}
}
