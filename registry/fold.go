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
		if a, ok := spanishFold(r); ok && a == '\'' {
			r = a
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// spanishFold folds the letters besides ASCII that Spanish names use,
// precomposed, as NFD would fold them; ok is false for any other rune. A
// switch, not a map: names are folded by the thousand when questions are
// drawn, and hashing every rune cost more than the rest of the folding.
func spanishFold(r rune) (rune, bool) {
	switch r {
	case 'á', 'Á':
		return 'a', true
	case 'é', 'É':
		return 'e', true
	case 'í', 'Í':
		return 'i', true
	case 'ó', 'Ó':
		return 'o', true
	case 'ú', 'Ú', 'ü', 'Ü':
		return 'u', true
	case 'ñ', 'Ñ':
		return 'n', true
	case '’', '‘', '´', 'ʼ', '`':
		// A phone's keyboard types the apostrophe of D'Angelo curly.
		return '\'', true
	}
	return 0, false
}

// foldSpanish is fold without decomposing, for the names it knows every
// letter of (nearly all of them, and several times faster); ok is false
// for any other letter.
func foldSpanish(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteByte(lowerASCII(byte(r)))
			continue
		}
		f, known := spanishFold(r)
		if !known {
			return "", false
		}
		b.WriteByte(byte(f))
	}
	return b.String(), true
}

// normalizeSpanish is NormalizeName in one pass, folding and collapsing
// spaces at once, for the names foldSpanish knows every letter of; ok is
// false for any other letter. Folded, such a name is ASCII, where
// strings.Fields splits at the ASCII spaces alone.
func normalizeSpanish(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is due before the next letter
	for _, r := range s {
		if r >= utf8.RuneSelf {
			f, known := spanishFold(r)
			if !known {
				return "", false
			}
			r = f
		}
		c := byte(r)
		if asciiSpace(c) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(lowerASCII(c))
	}
	return b.String(), true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// asciiSpace reports whether c is one of the ASCII spaces strings.Fields
// splits at.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
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
