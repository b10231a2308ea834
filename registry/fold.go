package registry

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold lowercases s and strips its accents (á → a, ñ → n, ü → u), leaving
// everything else, spaces included, as it was.
func fold(s string) string {
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
