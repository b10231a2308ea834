package dialog

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clavebot/clavebot/registry"
)

// A message is read as tokens: words, numbers, dates in words, marks.
type tokKind uint8

const (
	tokWord tokKind = iota
	tokNum
	tokDate // a date in words, "14 de marzo de 1985", merged from its tokens
	tokPunct
)

type token struct {
	kind       tokKind
	start, end int // byte offsets in the text
}

// tokenize splits text into words (letters, with apostrophes and hyphens
// inside), numbers (digits, with dots, dashes and slashes inside) and
// single punctuation marks.
func tokenize(text string) []token {
	toks := make([]token, 0, 8)
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
			continue
		case isWordRune(r):
			j := scan(text, i, isWordRune, "'’´`‘-")
			toks = append(toks, token{kind: tokWord, start: i, end: j})
			i = j
		case r >= '0' && r <= '9':
			j := scan(text, i, isDigit, "./-")
			toks = append(toks, token{kind: tokNum, start: i, end: j})
			i = j
		default:
			toks = append(toks, token{kind: tokPunct, start: i, end: i + n})
			i += n
		}
	}
	return toks
}

// scan returns where the run starting at i ends: runes for which in holds,
// joined by single runes of inner followed by such a rune.
func scan(text string, i int, in func(rune) bool, inner string) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if in(r) {
			i += n
			continue
		}
		if strings.ContainsRune(inner, r) && i+n < len(text) {
			if next, _ := utf8.DecodeRuneInString(text[i+n:]); in(next) {
				i += n
				continue
			}
		}
		break
	}
	return i
}

// isWordRune: letters and the marks on them. A variation selector is a
// mark too, but of an emoji ("✌️", "❤️"): read as a word, it made
// "Lucía Soledad ✌️" no name (found by a probe).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Variation_Selector, r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func digitsOf(s string) string {
	if isAllDigits(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mergeGroups joins numbers typed in groups separated by spaces: a CUIL
// as "20 12604337 7", a DNI as "24 567 890".
func mergeGroups(text string, toks []token) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if tk.kind == tokNum && isAllDigits(text[tk.start:tk.end]) {
			if k := cuilGroupsEnd(text, toks, i); k > i {
				tk.end = toks[k].end
				i = k
			} else if k := commaGroupsEnd(text, toks, i); k > i {
				tk.end = toks[k].end
				i = k
			} else if k := groupEnd(text, toks, i); k > i {
				tk.end = toks[k].end
				i = k
			} else if k := thousandsEnd(text, toks, i); k > i {
				tk.end = toks[k].end
				i = k
			}
		}
		out = append(out, tk)
	}
	return out
}

// cuilGroupsEnd returns the last token of a CUIL typed in groups with
// spaces or spaced dashes ("27 - 35218904 - 4", "27 35 218 904 4", "27
// 352 189 044") starting at toks[i], or i when there is none: groups of
// digits, the first of two, eleven digits in all that make a valid CUIL.
// Found by a probe: in a sentence, they were read as a DNI and more.
func cuilGroupsEnd(text string, toks []token, i int) int {
	digits, last := "", i
	for k := i; k < len(toks) && len(digits) < 11; k++ {
		tk := toks[k]
		s := text[tk.start:tk.end]
		if k > i {
			gap := strings.TrimSpace(text[toks[last].end:tk.start])
			if tk.kind == tokPunct && s == "-" && gap == "" && k+1 < len(toks) {
				continue // a dash between spaces: the next group follows
			}
			if tk.kind == tokPunct && s == "," && tk.start == toks[last].end && k+1 < len(toks) && toks[k+1].start == tk.end {
				continue // a comma between groups, "27,35218904,4" (a data probe)
			}
			if tk.kind != tokNum || !isAllDigits(s) || gap != "" && gap != "-" && gap != "," {
				break
			}
		} else if len(s) != 2 {
			return i
		}
		digits, last = digits+s, k
	}
	if len(digits) != 11 || last == i {
		return i
	}
	if _, err := registry.ParseCUIL(digits); err != nil {
		return i
	}
	return last
}

// commaGroupsEnd returns the last token of an eleven-digit number typed
// as a phone groups it, with commas and no spaces ("00,512,345,678",
// "005,1234,5678": a número de trámite) starting at toks[i], or i when
// there is none: a first group of up to three digits, then groups of
// three or four, eleven digits in all, and no group after. Found by a
// words probe: its first three groups read as a DNI's thousands
// (thousandsEnd), the DNI "00512345", which replaced the DNI typed with
// it and was judged. A CUIL so typed is cuilGroupsEnd's.
func commaGroupsEnd(text string, toks []token, i int) int {
	if n := toks[i].end - toks[i].start; n > 3 {
		return i
	}
	// group reports whether toks[k] is a comma glued to the token before
	// it and to a group of three or four digits after it.
	group := func(k int) bool {
		if k+1 >= len(toks) || toks[k].kind != tokPunct || text[toks[k].start:toks[k].end] != "," ||
			toks[k-1].end != toks[k].start || toks[k+1].start != toks[k].end || toks[k+1].kind != tokNum {
			return false
		}
		s := text[toks[k+1].start:toks[k+1].end]
		return isAllDigits(s) && (len(s) == 3 || len(s) == 4)
	}
	digits, last := toks[i].end-toks[i].start, i
	for k := i + 1; digits < 11 && group(k); k += 2 {
		digits += toks[k+1].end - toks[k+1].start
		last = k + 1
	}
	if digits != 11 || last == i || group(last+1) {
		return i
	}
	return last
}

// groupEnd returns the last token of a grouped CUIL or DNI starting at
// toks[i], or i when there is none.
func groupEnd(text string, toks []token, i int) int {
	var lens []int
	for k := i; k < len(toks) && k < i+3; k++ {
		tk := toks[k]
		s := text[tk.start:tk.end]
		if tk.kind != tokNum || !isAllDigits(s) || k > i && strings.TrimSpace(text[toks[k-1].end:tk.start]) != "" {
			break
		}
		lens = append(lens, len(s))
		switch {
		case len(lens) == 3 && lens[0] == 2 && lens[1] == 8 && lens[2] == 1:
			return k
		case len(lens) == 3 && lens[0] <= 2 && lens[1] == 3 && lens[2] == 3:
			return k
		}
	}
	return i
}

// thousandsEnd returns the last token of a DNI with its thousands grouped
// by commas or apostrophes ("35,218,904", "35'218'904") starting at
// toks[i], or i when there is none: the marks split it into five tokens
// (a data probe: "mi dni es 35,218,904" read no DNI).
func thousandsEnd(text string, toks []token, i int) int {
	if i+4 >= len(toks) {
		return i
	}
	k := i + 4
	if _, err := registry.ParseDNI(text[toks[i].start:toks[k].end]); err != nil {
		return i
	}
	for j := i; j < k; j++ {
		if toks[j].end != toks[j+1].start {
			return i
		}
	}
	return k
}

// mergeDates joins the tokens of a date in words ("14 de marzo de 1985",
// "1° de marzo 85", "November 3, 1958") into one.
func mergeDates(text string, toks []token, now time.Time) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if k, ok := dateFrom(text, toks, i, now); ok {
			tk = token{kind: tokDate, start: tk.start, end: toks[k].end}
			i = k
		}
		out = append(out, tk)
	}
	return out
}

// dateFrom reports whether a date in words starts at toks[i] (a day, or a
// month followed by its day) and ends at a number after, toks[k].
func dateFrom(text string, toks []token, i int, now time.Time) (k int, ok bool) {
	tk, short := toks[i], func(t token) bool { return t.kind == tokNum && t.end-t.start <= 2 }
	first := i + 2
	switch {
	case short(tk) && i+2 < len(toks) && toks[i+1].kind != tokNum: // 14 de marzo de 1985
	case tk.kind == tokWord && i+2 < len(toks) && short(toks[i+1]): // November 3, 1958
	default:
		return 0, false
	}
	// The first number ends it, or the second when the first is the
	// month said as a number ("3 del 11 del 58").
	tried := 0
	for k = first; k < len(toks) && k <= i+5 && tried < 2; k++ {
		if toks[k].kind != tokNum {
			continue
		}
		if _, err := registry.ParseDate(text[tk.start:toks[k].end], now); err == nil {
			return k, true
		}
		if !short(toks[k]) {
			return 0, false
		}
		tried++
	}
	return 0, false
}
