package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestRequestThenNamesAndCUIL: "me olvidé la clave. Lucía Soledad
// Fernández, 27-35218904-4" got "Tengo tu CUIL. ¿Querés crear, recuperar
// o cambiar la clave…?" (a people probe): the names after the request
// made the classifier read nothing in it (none, 0.6 to 0.7 for Lucía
// Fernández, Graciela Paz, Ramón Quiroga Sánchez, Luz Rosario), where
// "me olvidé la clave, mi cuil es …" or "… soy Lucía …" start the
// recovery. The request is read without the names that follow it.
func TestRequestThenNamesAndCUIL(t *testing.T) {
	for _, tc := range []struct {
		text  string
		first bool
		want  dialog.Expect
	}{
		{"me olvidé la clave. Lucía Soledad Fernández, " + maria, true, dialog.ExpectDNI},
		{"me olvidé la clave. Graciela Paz, " + maria, false, dialog.ExpectDNI},
		{"me olvidé la clave. Ramón Quiroga Sánchez, " + maria, false, dialog.ExpectDNI},
		{"me olvide mi clave, Luz Rosario " + maria + ", dni 31456789", false, dialog.ExpectBirthDate},
	} {
		t.Run(tc.text, func(t *testing.T) {
			h := newHarness(t)
			if !tc.first {
				h.step("c", "hola", dialog.ExpectMenu)
			}
			h.step("c", tc.text, tc.want, i18n.M("recover.intro"))
		})
	}
}
