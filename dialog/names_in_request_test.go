package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesSaidWithTheRequestAlone: "hola, mi nombre es Ramón Quiroga
// Sánchez y quisiera sacar la clave" started the creation and asked the
// names again once the CUIL came (a people probe): a request kept the
// name it gave only with another datum in the message, as a CUIL, a DNI
// or a birth date typed early are kept. A name the person says is theirs
// ("me llamo", "mi nombre es", "soy" and known given names) is now kept
// alone too; "mi nombre es" with surnames after the given names is the
// full name, not first names the surnames are asked after. Words of a
// sentence stay no name.
func TestNamesSaidWithTheRequestAlone(t *testing.T) {
	tests := []struct {
		text  string
		taken bool
		next  dialog.Expect // once the CUIL comes
	}{
		{"hola, mi nombre es María Belén Gómez Ruiz y quisiera sacar la clave", true, dialog.ExpectBirthDate},
		{"buenas, me llamo María Belén Gómez Ruiz y quiero crear mi clave", true, dialog.ExpectBirthDate},
		{"soy María Belén Gómez Ruiz, quiero crear mi clave", true, dialog.ExpectBirthDate},
		{"hola, mi nombre es María Belén y quiero crear la clave", true, dialog.ExpectLastNames},
		{"hola, soy jubilado y quiero sacar la clave", false, dialog.ExpectFirstNames},
		{"soy la hija de María Belén y quiero sacar la clave", false, dialog.ExpectFirstNames},
		{"quiero crear la clave porfa rapido", false, dialog.ExpectFirstNames},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			rs := h.step("c", tt.text, dialog.ExpectCUIL, i18n.M("create.checklist"))
			if got := has(rs, i18n.M("data.taken")); got != tt.taken {
				t.Errorf("data.taken said %v, want %v:\n%s", got, tt.taken, h.dump(rs))
			}
			h.step("c", maria, tt.next)
			if tt.next == dialog.ExpectLastNames {
				h.step("c", "Gómez Ruiz", dialog.ExpectBirthDate)
			}
			if tt.next == dialog.ExpectBirthDate {
				h.step("c", "14/03/1985", dialog.ExpectDNI)
				h.step("c", "31456789", dialog.ExpectChoice, question1)
			}
		})
	}
}
