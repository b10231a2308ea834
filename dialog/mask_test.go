package dialog

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/pii"
)

// TestMaskDataFormats: the DNI and birth date of someone not yet validated
// are masked whichever way they are written, wherever the CUIL is.
func TestMaskDataFormats(t *testing.T) {
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		text  string
		clear []string // what must not be left
	}{
		{"mi dni es 24.567.890", []string{"567"}},
		{"24567890", []string{"24567890", "567"}},
		{"dni 24 567 890", []string{"24 567", "567 890"}},
		{"dni 24,567,890", []string{"24,567", "567,890"}},
		{"dni 24 567.890", []string{"24 567", "567.890"}},
		{"dni 24-567-890", []string{"24-567", "567-890"}},
		{"dni 7.654.321", []string{"654"}},
		{"dni 7 654 321", []string{"7 654", "654 321"}},
		{"dni n° 24567890.", []string{"24567890"}},
		{"nací el 21/07/1990", []string{"1990", "21/07"}},
		{"21-7-1990", []string{"1990", "21-7"}},
		{"21.07.1990", []string{"1990", "21.07"}},
		{"1990-07-21", []string{"1990", "07-21"}},
		{"21/07/90", []string{"21/07", "/90"}},
		{"nací el 21 de julio de 1990", []string{"1990", "julio"}},
		{"21 julio 1990", []string{"1990", "julio"}},
		{"21 de jul. de 1990", []string{"1990", "jul"}},
		{"21 de julio del 1990", []string{"1990", "julio"}},
		{"julio 21 de 1990", []string{"1990", "julio 21"}},
		{"21 / 07 / 1990", []string{"1990", "21 / 07"}},
		{"21 07 1990", []string{"1990", "21 07"}},
		{"el 21 de julio, año 1990", []string{"1990"}},
		{"3rd of November, 1958", []string{"1958", "3rd", "November"}},
		{"November 3rd, 1958", []string{"1958", "3rd", "November"}},
		{"born on 21st July 1990", []string{"1990", "21st", "July"}},
		{"21071990", []string{"21071990"}},
		{"cuil 20 24567890 3", []string{"24567890", "567890"}},
		// A CUIL without its check digit, anywhere: read as a phone's
		// number it was "+54 9 2024 **-7890", six of the DNI's digits.
		{"mi cuil es 20-24567890", []string{"2024", "2456"}},
		{"cuil 27 24567890", []string{"2724", "2456"}},
		{"2024567890", []string{"2024", "2456"}},
	}
	for _, tt := range tests {
		got := maskData(tt.text, now)
		for _, c := range tt.clear {
			if strings.Contains(got, c) {
				t.Errorf("maskData(%q) = %q: %q left in clear", tt.text, got, c)
			}
		}
	}
	// What is not personal data stays.
	for _, text := range []string{"tengo 2 hijos", "son las 10", "quiero crear mi clave", "en 2024 la cree"} {
		if got := maskData(text, now); got != text {
			t.Errorf("maskData(%q) = %q, want it as it was", text, got)
		}
	}
}

func TestMaskLooseLeavesWords(t *testing.T) {
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	for _, text := range []string{"el martes 21 voy", "en julio me mudé", "tengo 3 hijos de 5, 7 y 9"} {
		if got := maskData(text, now); got != text {
			t.Errorf("maskData(%q) = %q", text, got)
		}
	}
}

// TestKeysThatLookLikeAddresses: keys the policy takes that look like an
// e-mail or a web address, typed outside the key steps, are hidden whole;
// real addresses are not keys (an attacker's probe: "Boca@Juniors.12" and
// "www.Racing1967" reached the desk and Redis).
func TestKeysThatLookLikeAddresses(t *testing.T) {
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		text, clear string
		key         bool
	}{
		{"mi clave es Boca@Juniors.12 y no me deja entrar", "Juniors", true},
		{"probé www.Racing1967 tambien", "Racing", true},
		{"y http://River1901 tampoco", "River", true},
		{"Mate@gmail.com1", "gmail", true},
		{"escribime a lucia1990@gmail.com", "", false},
		{"entré a www.anses.gob.ar/mi2024", "", false},
		{"https://www.anses.gob.ar/consulta/123", "", false},
	} {
		got := maskData(tt.text, now)
		if hidden := strings.Contains(got, hiddenKey); hidden != tt.key {
			t.Errorf("maskData(%q) = %q: a key hidden %v, want %v", tt.text, got, hidden, tt.key)
		}
		if tt.clear != "" && strings.Contains(got, tt.clear) {
			t.Errorf("maskData(%q) = %q: %q left in clear", tt.text, got, tt.clear)
		}
	}
}

// BenchmarkMaskedPrefix masks what people type in issue 14's flow, as
// the transcript does each turn (one op is the whole flow's texts).
func BenchmarkMaskedPrefix(b *testing.B) {
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	texts := []string{"hola", "Crear mi clave", "20-31456789-8", "María Belén", "Gómez Ruiz", "14/03/1985", "31.456.789", "cancelar"}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			maskedPrefix(s, 500, now)
		}
	}
}

// TestMonthStemsOpenEveryMonth: pii.MayNameMonth looks for a month's
// first three letters alone, so every name namedDate reads must open with
// those of a month it knows.
func TestMonthStemsOpenEveryMonth(t *testing.T) {
	names := strings.TrimSuffix(strings.TrimPrefix(monthNames, "(?:"), `)\b\.?`)
	for _, name := range strings.Split(names, "|") {
		if len(name) < 3 || !pii.MayNameMonth(name[:3]) {
			t.Errorf("month name %q opens with no stem pii.MayNameMonth knows", name)
		}
	}
}

// TestNamedDateNeedsAMonthStem: where pii.MayNameMonth says no month may be
// named, namedDate matches nothing, so skipping it changes no mask: the
// month names in any case, with days and years, and random texts of
// their letters and digits.
func TestNamedDateNeedsAMonthStem(t *testing.T) {
	texts := []string{
		"14/03/1985", "31.456.789", "20-31456789-8", "nací el 21 de JULIO de 1990", "Julio 21, 1990",
		"21st of August 1990", "3 SEPT 1990", "ſeptiembre 3 1990", "3 de Marzo", "el 3 de mayo del 90",
		"dic. 2001", "Feb 29", "nov1990", "21 de setiembre, año 1990", "octubre", "12 dec",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcdefgijlmnoprstuvyADEFJMNOSaeiou0123456789 /.-,º"
	for range 20000 {
		b := make([]rune, 1+rng.IntN(14))
		runes := []rune(alphabet)
		for i := range b {
			b[i] = runes[rng.IntN(len(runes))]
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		if !pii.MayNameMonth(s) && namedDate.MatchString(s) {
			t.Fatalf("pii.MayNameMonth(%q) is false, but namedDate matches %q", s, namedDate.FindString(s))
		}
	}
	for _, s := range texts[3:16] { // each names a month
		if !pii.MayNameMonth(s) {
			t.Errorf("pii.MayNameMonth(%q) is false", s)
		}
	}
}

// TestLooseMasksNeedADigitThenASeparator: where digitThenSeparator says
// no, looseDNI and looseDate match nothing, so skipping them changes no
// mask: the texts the tokens leave, and random texts of digits,
// separators, spaces and letters.
func TestLooseMasksNeedADigitThenASeparator(t *testing.T) {
	texts := []string{"**/**/****", "**.***.789", "20-****6789-8", "24 567 890", "21 / 07 / 1990", "21\t07\t1990", "3\f4\f1990", "1,234,567"}
	rng := rand.New(rand.NewPCG(3, 4))
	runes := []rune("0123456789 \t\n\v\f\r.,-/*ab\u00a0\u2003")
	for range 50000 {
		b := make([]rune, 1+rng.IntN(16))
		for i := range b {
			b[i] = runes[rng.IntN(len(runes))]
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		if !digitThenSeparator(s) && (looseDNI.MatchString(s) || looseDate.MatchString(s)) {
			t.Fatalf("digitThenSeparator(%q) is false, but a loose mask matches", s)
		}
	}
}
