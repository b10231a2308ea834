package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestCardMisplacedIsNotKnowing: "no se donde esta mi dni" where the DNI
// is asked got «El DNI tiene 7 u 8 números», and so did "no lo encuentro
// al dni" (a people probe), where "no encuentro el dni" got where its
// number is found, in the CUIL too. Not knowing where the card is, said
// so, is not having it at hand: where the datum is, the step kept.
func TestCardMisplacedIsNotKnowing(t *testing.T) {
	texts := []string{"no se donde esta mi dni", "no lo encuentro al dni", "no sé dónde dejé el documento",
		"NO SE DONDE LO PUSE", "no se donde lo tengo"}
	for _, tc := range []struct {
		step string
		to   func(h *harness, chat string)
		want dialog.Expect
		key  i18n.Key
	}{
		{"dni", (*harness).toDNIStep, dialog.ExpectDNI, "dni.not_known"},
		{"birth date", (*harness).toBirthDateStep, dialog.ExpectBirthDate, "date.not_known"},
	} {
		for _, text := range texts {
			t.Run(tc.step+"/"+text, func(t *testing.T) {
				h := newHarness(t)
				tc.to(h, "c")
				h.step("c", text, tc.want, i18n.M(tc.key))
			})
		}
	}
}
