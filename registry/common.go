package registry

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed common_passwords.txt
var commonPasswordsFile string

// commonSets are the common passwords and the words they are built on,
// folded. It is computed once from the embedded list and never changes.
var commonSets = sync.OnceValue(func() commonList {
	l := commonList{keys: map[string]bool{}, words: map[string]bool{}}
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		line = fold(strings.TrimSpace(line))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		l.keys[line] = true
		if w := trimNonLetters(line); utf8.RuneCountInString(w) >= 4 {
			l.words[w] = true
		}
	}
	return l
})

type commonList struct {
	keys  map[string]bool // whole passwords
	words map[string]bool // their letter part: "river" from "river123"
}

// isCommonKey reports whether a folded key is a common password: on the
// list, a listed word with digits or symbols around it (River2024!), or a
// trivial pattern.
func isCommonKey(folded string) bool {
	l := commonSets()
	if l.keys[folded] || l.words[trimNonLetters(folded)] {
		return true
	}
	return isTrivialKey(folded)
}

// trimNonLetters drops the digits and symbols around a word.
func trimNonLetters(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// keyboardRows are the sequences people run a finger along.
var keyboardRows = []string{
	"qwertyuiop", "asdfghjklñ", "zxcvbnm", "1234567890", "abcdefghijklmnopqrstuvwxyz", "!@#$%^&*()",
}

// isTrivialKey catches keys built without thought: three or fewer distinct
// characters (aaaa1111, ab12ab12 is not), or every run of letters and of
// digits a straight sequence or a repetition (abcd1234, 1234abcd,
// qwerty123, zyxw9876, aaaa1111).
func isTrivialKey(folded string) bool {
	distinct := map[rune]bool{}
	for _, r := range folded {
		distinct[r] = true
	}
	if len(distinct) <= 3 {
		return true
	}
	runs := classRuns(folded)
	for _, run := range runs {
		if !isSequence(run) {
			return false
		}
	}
	return len(runs) > 0
}

// classRuns splits s into maximal runs of letters, of digits, and of other
// characters.
func classRuns(s string) []string {
	class := func(r rune) int {
		switch {
		case unicode.IsLetter(r):
			return 1
		case unicode.IsDigit(r):
			return 2
		}
		return 3
	}
	var runs []string
	start, prev := 0, -1
	for i, r := range s {
		if c := class(r); c != prev && i > 0 {
			runs = append(runs, s[start:i])
			start = i
		}
		prev = class(r)
	}
	if s != "" {
		runs = append(runs, s[start:])
	}
	return runs
}

// isSequence reports whether run is one character repeated, or a stretch
// of a keyboard row or the alphabet, forwards or backwards.
func isSequence(run string) bool {
	if strings.Count(run, string([]rune(run)[:1])) == utf8.RuneCountInString(run) {
		return true
	}
	rev := reverse(run)
	for _, row := range keyboardRows {
		if strings.Contains(row, run) || strings.Contains(row, rev) {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
