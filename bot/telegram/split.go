package telegram

import (
	"strings"
	"unicode/utf8"
)

// maxText is Telegram's limit on a message's text. Telegram counts UTF-16
// code units, so that is what utf16Len counts.
const maxText = 4096

// splitText cuts text into parts of at most limit UTF-16 code units,
// preferring a paragraph break, then a line break, then a space; a word
// longer than a part is cut between runes, never inside one.
func splitText(text string, limit int) []string {
	var parts []string
	for utf16Len(text) > limit {
		at := breakAt(text, fitting(text, limit))
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

// fitting is the byte length of text's longest prefix, at a rune boundary,
// within limit units; at least one rune, so splitting always advances.
func fitting(text string, limit int) int {
	units := 0
	for i, r := range text {
		units += runeUnits(r)
		if units <= limit {
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

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

// runeUnits is how many UTF-16 code units r takes.
func runeUnits(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
