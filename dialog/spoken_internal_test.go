package dialog

import (
	"math/rand/v2"
	"strings"
	"testing"
)

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

// TestSpokenNumbersWithoutNumberWordsAllocateNothing: spokenNumbers runs
// twice on every message (the step's reading and the transcript's
// masks); one with no number word in it, most of them, costs no
// allocation (issue 14: it folded every word, "María" and "Crear" into
// copies).
func TestSpokenNumbersWithoutNumberWordsAllocateNothing(t *testing.T) {
	for _, text := range []string{"hola", "Crear mi clave", "María Belén", "Gómez Ruiz", "CANCELAR", "¿Qué es el CUIL?",
		"20-31456789-8", "14/03/1985", "Ñandú Pérez-Müller"} {
		if got := spokenNumbers(text); got != text {
			t.Errorf("spokenNumbers(%q) = %q, want it unchanged", text, got)
		}
		if n := testing.AllocsPerRun(100, func() { spokenSink = spokenNumbers(text) }); n != 0 {
			t.Errorf("spokenNumbers(%q) allocates %.0f times, want none", text, n)
		}
	}
}

var spokenSink string

// TestSpokenNumbersNeedANumberWord: where saysNumberWord finds no number
// word, spokenNumbers would have changed nothing: the cases above, every
// number word however written, and random texts of their letters, with
// accents, capitals and signs.
func TestSpokenNumbersNeedANumberWord(t *testing.T) {
	for w := range spokenValues {
		for _, s := range []string{w, strings.ToUpper(w), "a " + w + ".", strings.Replace(w, "i", "í", 1)} {
			if !saysNumberWord(s) {
				t.Errorf("saysNumberWord(%q) = false, a number word", s)
			}
		}
	}
	for _, s := range []string{"primero", "PRÍMERO", "primer", "el Primer de mayo"} {
		if !saysNumberWord(s) {
			t.Errorf("saysNumberWord(%q) = false", s)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "acdeilmnoprstuvyzCDMNOTáéíóúñÍÉ ,.-¿?y"
	letters := []rune(alphabet)
	for range 20000 {
		r := make([]rune, 1+rng.IntN(24))
		for i := range r {
			r[i] = letters[rng.IntN(len(letters))]
		}
		text := string(r)
		if !saysNumberWord(text) {
			if got := spokenNumbersIn(text); got != text {
				t.Fatalf("saysNumberWord(%q) = false, but spokenNumbers makes it %q", text, got)
			}
		}
	}
}
