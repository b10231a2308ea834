package dialog_test

import "testing"

// Lucía's DNI, CUIL and birth date, and Néstor's número de trámite, typed
// at the menu and to an agent in shapes the desk hides (desk.maskPersonal)
// and the engine's masks did not read: digits one by one, groups other
// than a DNI's, a date's day and month apart from its year, a date
// beginning with its year. The desk hid them from an agent while the
// person had not validated, but the stored transcript kept them in clear
// (a masks probe).
func TestShapesTheDeskHidesAreMasked(t *testing.T) {
	typed := []string{
		"mi dni es 3 5 2 1 8 9 0 4",
		"mi cuil es 2 7 3 5 2 1 8 9 0 4 4",
		"dni 35218 904",
		"dni 352 18 904",
		"tramite 005 1234 5678",
		"nací el 21-07 de 1990",
		"nací el 21/07 de 1990",
		"nací el 1990 07 21",
	}
	checkNoneInClear(t, typedWhereAgentsRead(t, typed), []string{"35218", "3521", "00512", "1234", "2107", "1990", "0721"})
}
