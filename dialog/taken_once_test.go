package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestDataTakenSaidOnce: names (or a DNI, a birth date) typed before the
// CUIL are said noted («Anoté tus nombres y tu apellido.») when typed;
// once the CUIL came they were said noted again (a people probe). Once.
func TestDataTakenSaidOnce(t *testing.T) {
	tests := []struct {
		name   string
		first  string
		expect dialog.Expect
	}{
		{"names with the request", "hola, me llamo María Belén Gómez Ruiz y quiero crear mi clave", dialog.ExpectBirthDate},
		{"data with the request", "quiero crear mi clave, mi dni es 31.456.789 y nací el 14/03/1985", dialog.ExpectFirstNames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const c = "chat"
			h.step(c, tt.first, dialog.ExpectCUIL, i18n.M("data.taken"))
			if rs := h.step(c, maria, tt.expect); has(rs, i18n.M("data.taken")) {
				t.Fatalf("said noted again:\n%s", h.dump(rs))
			}
		})
	}
}
