package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBareNoAtTheMenu: "no" to «¿Qué necesitás?» got «¡De nada!…», thanks
// for nothing said (a people probe). A bare no is that nothing is needed
// now; with thanks it is still answered as thanks.
func TestBareNoAtTheMenu(t *testing.T) {
	tests := []struct {
		text       string
		want, lack i18n.Message
	}{
		{"no", i18n.M("menu.nothing"), i18n.M("faq.answer.thanks_bye")},
		{"No.", i18n.M("menu.nothing"), i18n.M("faq.answer.thanks_bye")},
		{"no, nada", i18n.M("menu.nothing"), i18n.M("faq.answer.thanks_bye")},
		{"no, gracias", i18n.M("faq.answer.thanks_bye"), i18n.M("menu.nothing")},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			rs := h.step("c", tt.text, dialog.ExpectMenu, tt.want)
			if has(rs, tt.lack) {
				t.Fatalf("%q:\n%s", tt.text, h.dump(rs))
			}
			h.step("c", "1", dialog.ExpectCUIL)
		})
	}
}
