package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestSwitchingFlowsKeepsTheCUIL: "ah no, mejor recuperar" where creating
// had the CUIL and asked the names, then "sí" to leaving it, asked the
// CUIL again (a people probe): the person changed their mind about what
// to do, not about whose key. The flow switched to goes on with the CUIL
// given; a CUIL typed with the yes is still the one taken.
func TestSwitchingFlowsKeepsTheCUIL(t *testing.T) {
	tests := []struct {
		name, ask, yes string
		expect         dialog.Expect
	}{
		{"recover", "ah no, mejor recuperar", "si", dialog.ExpectDNI},
		{"recover, yes in words", "me olvidé la clave", "sí, dale", dialog.ExpectDNI},
		{"change", "mejor quiero cambiar la clave", "si", dialog.ExpectCurrentKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			withKey(h, "Primera2024a")
			h.toFirstNamesStep("c")
			h.step("c", tt.ask, dialog.ExpectChoice, i18n.M("offer.switch"))
			rs := h.step("c", tt.yes, tt.expect)
			if has(rs, i18n.M("ask.cuil")) {
				t.Errorf("the CUIL given was asked again:\n%s", h.dump(rs))
			}
		})
	}
}
