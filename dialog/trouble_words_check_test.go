package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestTroubleInWordsOffersTheCheck: "me dice que el cuil no existe" or "me
// bloquearon la clave", typed at the menu, got the FAQ's answer and «¿Te
// sirvió esta respuesta?» (a people probe), while the same topic tapped in
// «Tengo un problema» is answered and the check of the CUIL offered
// («¿Querés que revise tu CUIL en el sistema?»). CONVERSATION: where the
// registry can tell more, the bot checks for the person. The words get
// what the tap gets; "sí" asks the CUIL to check.
func TestTroubleInWordsOffersTheCheck(t *testing.T) {
	for _, tt := range []struct{ text, answer string }{
		{"me dice que el cuil no existe", "faq.answer.error.cuil_unknown"},
		{"me bloquearon la clave", "faq.answer.error.blocked"},
		{"como se si se creo mi clave", "faq.answer.key.check_created"},
	} {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", tt.text, dialog.ExpectChoice, i18n.M(i18n.Key(tt.answer)), i18n.M("trouble.offer_check"))
			h.step("c", "sí", dialog.ExpectCUIL)
		})
	}
}
