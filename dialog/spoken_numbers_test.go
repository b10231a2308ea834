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

// TestDatesSaidByVoice: a birth date dictated to a phone's voice typing
// ("catorce de marzo de mil novecientos ochenta y cinco") got "No pude
// leer esa fecha" (a words probe): the day and the year around a month
// are numbers.
func TestDatesSaidByVoice(t *testing.T) {
	for _, said := range []string{
		"catorce de marzo de mil novecientos ochenta y cinco",
		"Catorce de Marzo del ochenta y cinco",
		"nací el catorce de marzo de mil novecientos ochenta y cinco",
	} {
		t.Run(said, func(t *testing.T) {
			h := newHarness(t)
			h.toBirthDateStep("c")
			h.step("c", said, dialog.ExpectDNI)
		})
	}
}
