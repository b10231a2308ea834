package dialog

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// foldBefore is fold as it was written before it stopped allocating for
// text already folded: the reference fold must keep matching.
func foldBefore(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsSpace(r) {
			space = sb.Len() > 0
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		if base, ok := unaccent[r]; ok {
			r = base
		}
		sb.WriteRune(r)
	}
	return strings.TrimFunc(sb.String(), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) })
}

func TestFoldSameAsBefore(t *testing.T) {
	cases := []string{
		"", " ", "  ", "hola", "Hola", "HOLA", "crear mi clave", "Crear mi clave", "crear  mi clave",
		" hola", "hola ", "hola\tque tal", "hola\nchau", "¿No sé?", "no se", "María Belén", "gómez ruiz",
		"20-31456789-8", "14/03/1985", "31.456.789", "cancelar", "cancelar.", ".cancelar", "hola .", "- a",
		"a -", "a\x00b", "\x00", "a\xffb", "\xff", "Ñandú", "İstanbul", "ǅ", "a\u00a0b", "a\u0085b", "¡hola!",
		"€10", "10€", "hola 👋", "👋", "sí", "si", "1", "a b c d", "a  b", "ab ", " ab", "a\u3000b", "ＡＢ",
	}
	for _, c := range cases {
		if got, want := fold(c), foldBefore(c); got != want {
			t.Errorf("fold(%q) = %q, before %q", c, got, want)
		}
	}
	// Random text over an alphabet of the characters that matter: cases,
	// accents, spaces of several kinds, marks, symbols, digits, invalid
	// UTF-8 and control characters, at every position.
	alphabet := []string{"a", "z", "A", "Z", "0", "9", " ", "  ", "\t", "\n", "\u00a0", "á", "Á", "ñ", "Ñ", "ü",
		".", ",", "-", "¿", "?", "¡", "!", "€", "$", "+", "\xff", "\x00", "\x01", "ß", "İ", "👋", "'", "\""}
	rng := rand.New(rand.NewPCG(14, 24))
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(8) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		c := sb.String()
		if got, want := fold(c), foldBefore(c); got != want {
			t.Fatalf("fold(%q) = %q, before %q", c, got, want)
		}
	}
}

// TestFoldAllocations: fold runs some 15 times a turn, mostly on text
// already folded (words cut from folded text, labels, commands); that
// text comes back as it is, and other text costs one allocation, not two.
func TestFoldAllocations(t *testing.T) {
	for _, c := range []struct {
		text string
		max  float64
	}{
		{"hola", 0},
		{"crear mi clave", 0},
		{"20-31456789-8", 0},
		{"", 0},
		{"Hola", 1},
		{"Crear mi clave", 1},
		{"María Belén", 1},
	} {
		if got := testing.AllocsPerRun(100, func() { _ = fold(c.text) }); got > c.max {
			t.Errorf("fold(%q): %.0f allocations, want at most %.0f", c.text, got, c.max)
		}
	}
}

func TestFoldedPhraseSameAsJoinedWords(t *testing.T) {
	alphabet := []string{"a", "z", "A", "Z", "0", "9", " ", "  ", "\t", "\n", "\u00a0", "á", "Á", "ñ", "Ñ", "ü",
		".", ",", "-", "¿", "?", "¡", "!", "€", "$", "+", "\xff", "\x00", "ß", "İ", "👋", "'", "ǅ", "ª"}
	cases := []string{"", " ", "hola", "crear mi clave", "Crear mi clave", "¿No sé?", "hola .", "20-31456789-8",
		"María Belén", "mi clave es abc123", "audio 0:12", "no, gracias", "a  b", "a\xffb"}
	rng := rand.New(rand.NewPCG(24, 14))
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(8) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, sb.String())
	}
	for _, c := range cases {
		if got, want := foldedPhrase(c), strings.Join(foldedWords(c), " "); got != want {
			t.Fatalf("foldedPhrase(%q) = %q, the folded words joined %q", c, got, want)
		}
	}
}

// TestFoldedPhraseAllocations: the words of a message joined again, as
// says, saysWords and the placeholder check compare them, several times a
// turn, cost no slice of words and no second copy.
func TestFoldedPhraseAllocations(t *testing.T) {
	for _, c := range []struct {
		text string
		max  float64
	}{
		{"crear mi clave", 0},
		{"hola", 0},
		{"Crear mi clave", 1},
		{"¿No sé?", 1},
		{"20-31456789-8", 0},
	} {
		if got := testing.AllocsPerRun(100, func() { _ = foldedPhrase(c.text) }); got > c.max {
			t.Errorf("foldedPhrase(%q): %.0f allocations, want at most %.0f", c.text, got, c.max)
		}
	}
}

// TestWordsIndexIsIndexOfSpacedPhrase: wordsIndex finds what
// strings.Index(f, " "+p+" ") finds, on phrases and random texts of
// their letters and spaces.
func TestWordsIndexIsIndexOfSpacedPhrase(t *testing.T) {
	cases := [][2]string{
		{" falta mucho ", "falta mucho"}, {" no falta mucho ", "falta mucho"}, {" faltan muchos ", "falta mucho"},
		{" afalta mucho ", "falta mucho"}, {" falta muchos falta mucho ", "falta mucho"}, {"  ", ""}, {" ", ""},
		{"", "a"}, {" a ", "a"}, {" aa a ", "a"}, {" puta ", "puto"}, {" ya esta ", "ya esta"},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const alphabet = "ab "
	for range 20000 {
		f := make([]byte, rng.IntN(12))
		for i := range f {
			f[i] = alphabet[rng.IntN(len(alphabet))]
		}
		p := make([]byte, 1+rng.IntN(3))
		for i := range p {
			p[i] = alphabet[rng.IntN(2)]
		}
		cases = append(cases, [2]string{" " + string(f) + " ", string(p)})
	}
	for _, c := range cases {
		f, p := c[0], c[1]
		if got, want := wordsIndex(f, p), strings.Index(f, " "+p+" "); got != want {
			t.Fatalf("wordsIndex(%q, %q) = %d, want %d", f, p, got, want)
		}
	}
}

// BenchmarkPhraseChecks runs the checks of what a person says that read
// every message before the classifier (openedWords), on issue 14's flow's
// messages.
func BenchmarkPhraseChecks(b *testing.B) {
	texts := []string{"hola", "Crear mi clave", "María Belén", "Gómez Ruiz", "cancelar", "listo ya esta?"}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			phraseSink = fearsForData(s) || asksHowMuchLeft(s) || insults(s) || saysLostWords(s) || wantsAKey(s)
		}
	}
}

var phraseSink bool

// TestUnaccentBeyondASCII: fold and isNumberWord look up only letters
// beyond ASCII in unaccent.
func TestUnaccentBeyondASCII(t *testing.T) {
	for r := range unaccent {
		if r < utf8.RuneSelf {
			t.Errorf("unaccent[%q]: an ASCII letter, which fold never looks up", r)
		}
	}
}
