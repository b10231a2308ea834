package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestNumbersSaidByVoice: a CUIL or a DNI dictated to a phone's voice
// typing comes as words ("veintisiete treinta y cinco doscientos
// dieciocho novecientos cuatro cuatro") and got "Tus nombres te los pido
// después" or the CUIL's FAQ answer (a words probe). A run of number
// words making seven digits or more is those digits.
func TestNumbersSaidByVoice(t *testing.T) {
	for _, tc := range []struct{ name, cuil, dni string }{
		{"in groups",
			"veinte treinta y uno cuatrocientos cincuenta y seis setecientos ochenta y nueve ocho",
			"treinta y uno cuatrocientos cincuenta y seis setecientos ochenta y nueve"},
		{"digit by digit",
			"dos cero tres uno cuatro cinco seis siete ocho nueve ocho",
			"tres uno cuatro cinco seis siete ocho nueve"},
		{"as numbers, with commas",
			"mi cuil es veinte, treinta y un millones cuatrocientos cincuenta y seis mil setecientos ochenta y nueve, ocho",
			"mi dni es treinta y un millones cuatrocientos cincuenta y seis mil setecientos ochenta y nueve"},
		{"dashes said, capitals",
			"Veinte guion Treinta y Uno Cuatrocientos Cincuenta y Seis Setecientos Ochenta y Nueve guion Ocho",
			"Treinta y un millones cuatrocientos cincuenta y seis mil setecientos ochenta y nueve."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", "me olvidé la clave", dialog.ExpectCUIL)
			h.step("c", tc.cuil, dialog.ExpectDNI)
			h.step("c", tc.dni, dialog.ExpectBirthDate)
		})
	}
}
