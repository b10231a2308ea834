package pii

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

func TestHideData(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"mi dni es 35.218.904", "mi dni es **.***.***"},
		{"35218904", "********"},
		{"cuil 27-35218904-4 gracias", "cuil **-********-* gracias"},
		{"tramite 00512345678", "tramite ***********"},
		{"naci el 21/07/1990", "naci el **/**/****"},
		{"el 3-7-58", "el *-*-**"},
		{"nací el 21 de julio de 1990", "nací el ** de julio de ****"},
		{"el 5 de ago.", "el * de ago."},
		{"mi DNI 5.123.456", "mi DNI *.***.***"},
		{"llamame al 11 2345 6789", "llamame al ** **** ****"},
		// As phones and people write them: a space after each dot (the
		// keyboard adds it), commas, a dash the keyboard made long; a
		// month in numbers between "de"; the month first; a comma before
		// the year. They reached the agent whole (a desk probe).
		{"mi dni es 35. 218. 904", "mi dni es **. ***. ***"},
		{"dni 35,218,904", "dni **,***,***"},
		{"dni 35–218–904", "dni **–***–***"},
		{"naci el 21 de 07 de 1990", "naci el ** de ** de ****"},
		{"el 3 del 7 del 58", "el * del * del **"},
		{"julio 21 de 1990", "julio ** de ****"},
		{"nací el Julio 21, 1990", "nací el Julio **, ****"},
		{"21 de julio, 1990", "** de julio, ****"},
		// Neither the engine nor the desk read these (a masks probe).
		{"el 21 de 07 1990", "el ** de ** ****"},
		{"nací el 3 11 58", "nací el * ** **"},
		{"julio, 21 de 1990", "julio, ** de ****"},
		{"tengo 3 hijos de 5, 7 y 9", "tengo 3 hijos de 5, 7 y 9"},
		{"en marzo 2019 pedí la clave", "en marzo 2019 pedí la clave"},
		{"marca 12, mayor 18 años", "marca 12, mayor 18 años"},
		{"pagué $ 1.500, 2.000 y 3.000", "pagué $ 1.500, 2.000 y 3.000"},
		// Short numbers are not personal: places in the queue, menu options, years.
		{"opción 2, lugar 14, en 2019, 8 a 15 caracteres", "opción 2, lugar 14, en 2019, 8 a 15 caracteres"},
		{"[clave oculta]", "[clave oculta]"},
	}
	for _, tt := range tests {
		if got := HideData(tt.in); got != tt.want {
			t.Errorf("HideData(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := HideData(tt.want); again != tt.want {
			t.Errorf("hiding %q again gave %q", tt.want, again)
		}
	}
}

// TestHideDataSkipsOnlyWhatCannotMatch: HideData runs a regexp only on a
// text with the digits it needs, and the month's regexps only where
// MayNameMonth holds; the result is the one of every regexp run on every
// text (dates, numbers, and random texts of their characters).
func TestHideDataSkipsOnlyWhatCannotMatch(t *testing.T) {
	texts := []string{"21 de julio de 1990", "Julio 21, 1990", "3 SEPT 1990", "ſeptiembre 3", "1 2 3 4 5 6 7", "1/2/34", "3 del 7 del 58"}
	rng := rand.New(rand.NewPCG(5, 6))
	runes := []rune("0123456789 ./-,–dejulioJULIOsetſmarzoabcé")
	for range 20000 {
		b := make([]rune, 1+rng.IntN(20))
		for i := range b {
			b[i] = runes[rng.IntN(len(runes))]
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		want := s
		for _, re := range []*regexp.Regexp{spelledDate, monthFirst, numericDate, numberRun} {
			want = re.ReplaceAllStringFunc(want, hideDigits)
		}
		if got := HideData(s); got != want {
			t.Fatalf("HideData(%q) = %q, every regexp gives %q", s, got, want)
		}
	}
}
