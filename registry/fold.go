package registry

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold lowercases s and strips its accents (á → a, ñ → n, ü → u), leaving
// everything else, spaces included, as it was.
func fold(s string) string {
	if f, ok := foldSpanish(s); ok {
		return f
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining mark: the accent of the previous letter
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// spanishFolds are the letters besides ASCII that Spanish names use,
// precomposed, folded as NFD would fold them.
var spanishFolds = map[rune]rune{
	'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u', 'ü': 'u', 'ñ': 'n',
	'Á': 'a', 'É': 'e', 'Í': 'i', 'Ó': 'o', 'Ú': 'u', 'Ü': 'u', 'Ñ': 'n',
}

// foldSpanish is fold without decomposing, for the names it knows every
// letter of (nearly all of them, and several times faster); ok is false
// for any other letter.
func foldSpanish(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch f, known := spanishFolds[r]; {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case known:
			b.WriteRune(f)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// digitsOnly returns s's ASCII digits when s holds only digits and the
// separators in seps; ok is false when any other character appears.
func digitsOnly(s, seps string) (digits string, ok bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(seps, r) || unicode.IsSpace(r):
		default:
			return "", false
		}
	}
	return b.String(), true
}
