package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Plain writes every decimal digit of text as its ASCII one, and what
// parts the groups of a number as the masks read it: a character no
// keyboard types between digits by mistake but people do type (an
// underscore, a middle dot, a bullet) as a dot, a dash of any length as
// "-", a space that does not break (NBSP, a thin or figure space) as a
// space, and an invisible one (a zero-width space, a word joiner, a soft
// hyphen) not at all. The masks read ASCII digits parted by dots, dashes,
// slashes and spaces; a DNI or a birth date typed "31_456_789",
// "14·03·1985", "35–218–904", in Arabic-Indic digits, a "fancy text"
// site's bold ones, or with zero-width spaces between its groups
// (invisible on the agent's page), or as keycap emoji (3️⃣1️⃣4️⃣…), reached
// the stored transcript, the desk and the agent in clear (attack probes).
func Plain(text string) string {
	if !mayHaveOddDigits(text) {
		return text
	}
	return plain(text)
}

// plain is Plain without its pre-check.
func plain(text string) string {
	rs := []rune(text)
	var b strings.Builder
	b.Grow(len(text))
	for i, r := range rs {
		if v, ok := digitValue(r); ok {
			b.WriteRune('0' + v)
			continue
		}
		if keycap(r) && i > 0 && (unicode.IsDigit(rs[i-1]) || keycap(rs[i-1])) {
			continue // "3️⃣1️⃣4️⃣": a digit drawn as a key
		}
		if i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]) {
			if c, ok := groupSeparator(r); ok {
				if c != 0 {
					b.WriteByte(c)
				}
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// groupSeparator is what r between two digits is read as: 0 when it is
// dropped (an invisible character); false when r is kept as it is (an
// ASCII space too: the masks read those).
func groupSeparator(r rune) (byte, bool) {
	switch {
	case unicode.Is(unicode.Cf, r):
		return 0, true
	case strings.ContainsRune(oddGroupSeparators, r):
		return '.', true
	case IsDash(r):
		return '-', true
	case r >= utf8.RuneSelf && unicode.IsSpace(r):
		return ' ', true
	}
	return 0, false
}

// oddGroupSeparators part a number's groups where the masks look for a
// dot: an underscore, middle dots and bullets, the Arabic decimal and
// thousands separators.
const oddGroupSeparators = "_·•‧∙・･٫٬"

// IsDash reports whether r is one of the dashes a phone types for "-":
// autocorrect makes "27-35218904-4" "27–35218904–4".
func IsDash(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '―', '−', '﹣', '－':
		return true
	}
	return false
}

// keycap reports whether r draws the digit before it as an emoji's key
// (the emoji presentation selector, the combining keycap).
func keycap(r rune) bool { return r == '\ufe0f' || r == '\u20e3' }

// mayHaveOddDigits reports whether Plain may change text: whether it
// holds an underscore, or beyond ASCII a digit or what Plain reads
// between two (a long dash too). Most messages hold none (an accented
// letter is none), and the engine's masks run each turn.
func mayHaveOddDigits(text string) bool {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c == '_' {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if _, sep := groupSeparator(r); sep || unicode.IsDigit(r) || keycap(r) {
			return true
		}
		i += n
	}
	return false
}

// digitValue is the value of r when it is a decimal digit of any script:
// Unicode keeps each script's ten digits together, zero first.
func digitValue(r rune) (rune, bool) {
	if '0' <= r && r <= '9' {
		return r - '0', true
	}
	if r < utf8.RuneSelf || !unicode.IsDigit(r) {
		return 0, false
	}
	zero := r
	for unicode.IsDigit(zero - 1) {
		zero--
	}
	return (r - zero) % 10, true
}
