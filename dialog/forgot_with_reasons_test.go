package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestForgotKeyWithTheReasonIsRecovery: "hola q tal, me olvide la clave
// xq no entro dsp de cambiar el cel" got «Eso no lo sé responder» (none
// 0.55; a people probe): what came after the forgotten key outweighed
// it. Said in so many words, a forgotten key is its recovery.
func TestForgotKeyWithTheReasonIsRecovery(t *testing.T) {
	for i, text := range []string{
		"hola q tal, me olvide la clave xq no entro dsp de cambiar el cel",
		"me olvidé la clave porque no entro después de cambiar el celular",
		"buenas, no me acuerdo mi clave y tengo que ver lo de mi jubilacion",
	} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			chat := fmt.Sprint("c", i)
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, text, dialog.ExpectCUIL, i18n.M("recover.intro"))
		})
	}
	// Another key is not this one's recovery.
	h := newHarness(t)
	for i, text := range []string{"me olvide la clave fiscal de afip", "me olvide la clave del cajero xq cambie de banco"} {
		chat := fmt.Sprint("other", i)
		h.step(chat, "hola", dialog.ExpectMenu)
		if rs := h.send(chat, text); has(rs, i18n.M("recover.intro")) {
			t.Errorf("%q started a recovery:\n%s", text, h.dump(rs))
		}
	}
}
