package dialog_test

import "testing"

// Lucía's and Ramón's birth dates typed at the menu and to an agent in
// shapes neither the engine's masks nor the desk's read: the day and
// month in numbers, the year after a space ("el 21 de 07 1990"), the
// three in numbers parted by spaces in a sentence ("nací el 3 11 58",
// which the birth date's step takes alone), a comma after the month's
// name ("julio, 21 de 1990"). The stored transcript, the desk's and the
// agent held them whole (a masks probe).
func TestDatesNeitherMaskReadAreMasked(t *testing.T) {
	typed := []string{
		"nací el 21 de 07 1990",
		"nací el 3 11 58",
		"nací el 21 7 90",
		"nací en julio, 21 de 1990",
	}
	checkNoneInClear(t, typedWhereAgentsRead(t, typed), []string{"2107", "1990", "31158", "21790"})
}
