package dialog

import (
	_ "embed"
	"strings"
	"sync"
)

// givenNamesFile lists given names as printed on Argentine DNIs, the most
// frequent and the compound ones; the name tests type every one of them.
//
//go:embed given-names.txt
var givenNamesFile string

// givenNames are the words of givenNamesFile, folded, read once.
var givenNames = sync.OnceValue(func() map[string]bool {
	words := map[string]bool{}
	for l := range strings.SplitSeq(givenNamesFile, "\n") {
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		for _, w := range foldedWords(l) {
			if !particles[w] {
				words[w] = true
			}
		}
	}
	return words
})

// givenOnly reports whether every word of name, particles aside, is a
// known given name: "Lucía Soledad" is first names, "María Belén Gómez
// Ruiz" is not (a full name, split with the record). Unknown words make
// it false, which keeps the reading as it was.
func givenOnly(name string) bool {
	n := 0
	for _, w := range foldedWords(name) {
		if particles[w] {
			continue
		}
		if !givenNames()[w] {
			return false
		}
		n++
	}
	return n > 0
}

// givenIn reports whether a word of name, particles aside, is a known
// given name: "Gómez Ruiz" holds none.
func givenIn(name string) bool {
	for _, w := range foldedWords(name) {
		if !particles[w] && givenNames()[w] {
			return true
		}
	}
	return false
}
