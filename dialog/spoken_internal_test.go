package dialog

import "testing"

// TestSpokenNumbers: runs of number words of seven digits or more are
// written in digits; shorter ones, and words around them, stay.
func TestSpokenNumbers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"veintisiete treinta y cinco doscientos dieciocho novecientos cuatro cuatro", "27352189044"},
		{"dos siete tres cinco dos uno ocho nueve cero cuatro cuatro", "27352189044"},
		{"mi dni es treinta y cinco millones doscientos dieciocho mil novecientos cuatro y naci en 1990",
			"mi dni es 35218904 y naci en 1990"},
		{"veintisiete guion treinta y cinco doscientos dieciocho novecientos cuatro guion cuatro", "27-35218904-4"},
		{"cero cero cinco uno dos tres cuatro cinco seis siete ocho", "00512345678"},
		{"treinta cuatro", "treinta cuatro"}, // two digits: words
		{"tengo dos hijos y tres nietos", "tengo dos hijos y tres nietos"},
		{"Dos Santos", "Dos Santos"},
		{"nací el veintiuno de julio de mil novecientos noventa", "nací el 21 de julio de 1990"},
		{"veintiuno de julio del noventa", "21 de julio del 90"},
		{"el primero de mayo de dos mil tres", "el 1 de mayo de 2003"},
		{"treinta y uno de diciembre de mil novecientos noventa y nueve", "31 de diciembre de 1999"},
		{"marzo de mil novecientos ochenta y cinco", "marzo de 1985"},
		{"quiero el primero", "quiero el primero"},
		{"PRÍMERO de Mayo del noventa", "1 de Mayo del 90"},
		{"el primer de mayo", "el 1 de mayo"},
		{"primera de mayo", "primera de mayo"},
		{"Pedro de mayo", "Pedro de mayo"},
		{"tengo dos de julio", "tengo 2 de julio"},
		{"veinte cuatro treinta cuatro cincuenta y cinco", "204304" + "55"},
	} {
		if got := spokenNumbers(tc.in); got != tc.want {
			t.Errorf("spokenNumbers(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
