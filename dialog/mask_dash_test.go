package dialog_test

import "testing"

// Lucía's DNI, birth date and phone typed at the menu and to an agent
// with the long dashes a phone's keyboard makes of "-" (an en dash, an em
// dash, a hyphen): the CUIL's step takes them (registry.IsDash), the desk
// hides them, but the stored transcript held them in clear, and the desk
// showed them whole once the person validated (a masks probe).
func TestDataTypedWithLongDashesIsMasked(t *testing.T) {
	typed := []string{
		"dni 35–218–904",
		"dni 35—218—904",
		"dni 35‐218‐904",
		"nací el 21–07–1990",
		"nací el 21—7—1990",
		"tel 11–2345–6789",
	}
	checkNoneInClear(t, typedWhereAgentsRead(t, typed), []string{"35218", "2107", "217", "1990", "2345"})
}
