package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestKeyExpiryAnsweredAsKnown: "¿se vence la clave?", "la clave
// caduca?" got what is needed to create it, and "cada cuánto hay que
// cambiar la clave" how to keep it safe (a probe of people's words). The
// knowledge says no expiry, only to change it now and then: that is
// said, and that it can be changed at any time.
func TestKeyExpiryAnsweredAsKnown(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{
		"¿se vence la clave?", "la clave caduca?", "cada cuánto hay que cambiar la clave",
		"la clave tiene vencimiento?", "cuanto dura la clave, despues hay que renovarla?",
	} {
		chat := "expiry-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, text, dialog.ExpectChoice, i18n.M("faq.answer.key.expiry"), i18n.M("rate.ask"))
	}
}
