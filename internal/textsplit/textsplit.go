// Package textsplit cuts a long text into parts a platform takes, each
// within its limit as the platform counts (Telegram: UTF-16 code units;
// WhatsApp: characters).
package textsplit

import (
	"strings"
	"unicode/utf8"
)

// Split cuts text into parts of at most limit units, where units tells
// how many a rune takes, preferring a paragraph break, then a line break,
// then a space; a word longer than a part is cut between runes, never
// inside one.
func Split(text string, limit int, units func(rune) int) []string {
	var parts []string
	for Len(text, units) > limit {
		at := breakAt(text, fitting(text, limit, units))
		if p := strings.TrimRight(text[:at], " \n"); p != "" {
			parts = append(parts, p)
		}
		text = strings.TrimLeft(text[at:], " \n")
	}
	if strings.TrimSpace(text) != "" {
		parts = append(parts, text)
	}
	return parts
}

// Len is how many units text takes.
func Len(text string, units func(rune) int) int {
	n := 0
	for _, r := range text {
		n += units(r)
	}
	return n
}

// Rune counts every rune as one unit.
func Rune(rune) int { return 1 }

// fitting is the byte length of text's longest prefix, at a rune boundary,
// within limit units; at least one rune, so splitting always advances.
func fitting(text string, limit int, units func(rune) int) int {
	n := 0
	for i, r := range text {
		n += units(r)
		if n <= limit {
			continue
		}
		if i == 0 {
			_, size := utf8.DecodeRuneInString(text)
			return size
		}
		return i
	}
	return len(text)
}

func breakAt(text string, cut int) int {
	// First a break in the second half, so parts are not needlessly
	// short; then any break at all rather than cutting a word.
	for _, least := range []int{cut / 2, 1} {
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(text[:cut], sep); i >= least {
				return i
			}
		}
	}
	return cut
}
