package dialog

import "testing"

// The flow asked for with the key as a pronoun is the one said last when
// two are said, whatever the order the flows are kept in: it was the
// first the map's order met, so "quiero cambiarla o mejor recuperarla"
// started the change or the recovery from one run to the next.
func TestFlowOfPronounIsTheOneSaidLast(t *testing.T) {
	tests := []struct{ text, want string }{
		{"quiero cambiarla o mejor recuperarla", "key.recover"},
		{"quisiera recuperarla, bueno, prefiero cambiarla", "key.change"},
		{"necesito sacarla y despues quiero cambiarla", "key.change"},
		{"mejor quiero recuperarla", "key.recover"},
		{"no quiero cambiarla", ""},
		{"no quiero cambiarla, quiero recuperarla", "key.recover"},
		{"ya pude recuperarla", ""},
		// A "no" that ends the clause before, or opens "no mejor",
		// takes back what was under way, not the flow after it (a
		// people probe).
		{"mejor no, quiero recuperarla", "key.recover"},
		{"no mejor la recupero", "key.recover"},
		{"ah no, mejor la cambio", "key.change"},
		{"no, no quiero recuperarla", ""},
	}
	for _, tt := range tests {
		for range 64 { // map order changes from one range to the next
			if got := flowOfPronoun(tt.text); got != tt.want {
				t.Fatalf("flowOfPronoun(%q) = %q, want %q", tt.text, got, tt.want)
			}
		}
	}
}

func BenchmarkFlowOfPronoun(b *testing.B) {
	for b.Loop() {
		flowOfPronoun("Hola, buenas tardes. Mi CUIL es 27-35218904-4 y quería saber cómo hago")
	}
}
