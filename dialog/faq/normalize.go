package faq

import (
	"strings"
	"unicode"
)

// normalize turns a WhatsApp-style message into plain lower-case tokens:
// accents folded, letters repeated for emphasis collapsed ("holaaa"),
// digits reduced to a shape and the usual abbreviations and misspellings
// spelled out ("xq" → "porque", "clabe" → "clave").
func normalize(text string) []string {
	var out []string
	for _, w := range strings.Fields(fold(text)) {
		w = collapse(w)
		if swearing[w] || w == "madre" && len(out) > 0 && out[len(out)-1] == "la" && dropped(text) {
			continue
		}
		if isDigits(w) {
			out = append(out, numberShape(w))
			continue
		}
		if exp, ok := spelling[w]; ok {
			out = append(out, strings.Fields(exp)...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// swearing says how the person feels, not what they ask: "la puta madre
// no puedo entrar" is "no puedo entrar", which it turned out of scope.
var swearing = map[string]bool{
	"puta": true, "puto": true, "mierda": true, "carajo": true, "concha": true, "lora": true, "boludo": true,
	"boluda": true, "pelotudo": true, "pelotuda": true, "forro": true, "orto": true, "verga": true, "chota": true,
	"joder": true, "ctm": true, "lpm": true, "lpqtp": true,
}

// dropped reports whether text swore "la puta madre", whose "madre" goes
// with it (and "la clave de mi madre" keeps hers).
func dropped(text string) bool { return strings.Contains(fold(text), "puta madre") }

// fold lower-cases text, removes accents and apostrophes and turns
// anything else that is not a letter or a digit into a space.
func fold(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range strings.ToLower(text) {
		if apostrophes[r] {
			continue
		}
		if f, ok := accents[r]; ok {
			r = f
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// apostrophes are dropped rather than turned into spaces, so an English
// contraction stays one word, the same one people type without it
// ("don't" and "dont", "i'm" and "im"), instead of leaving stray letters
// ("t", "m", or "d", which the spelling table reads as "de"). Spanish
// hardly uses them; a stray "´" typed for an accent goes too.
var apostrophes = map[rune]bool{'\'': true, '’': true, '‘': true, '´': true, '`': true, 'ʼ': true}

var accents = map[rune]rune{
	'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u', 'ü': 'u', 'ñ': 'n',
	'à': 'a', 'è': 'e', 'ì': 'i', 'ò': 'o', 'ù': 'u', 'â': 'a', 'ê': 'e',
}

// collapse shortens runs of a letter: three or more become one ("siii"),
// and doubled a, i, u become one, since Spanish hardly doubles them while
// "ll", "rr", "cc", "ee" and "oo" are real ("llave", "leer").
func collapse(w string) string {
	rs := []rune(w)
	out := rs[:0]
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		n := j - i
		switch {
		case unicode.IsDigit(rs[i]):
		case n >= 3:
			n = 1
		case n == 2 && strings.ContainsRune("aiu", rs[i]):
			n = 1
		}
		for k := 0; k < n; k++ {
			out = append(out, rs[i])
		}
		i = j
	}
	return string(out)
}

func isDigits(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// numberShape keeps what a number looks like, not its value: a CUIL or a
// DNI reads differently from an hour.
func numberShape(w string) string {
	switch {
	case len(w) >= 10:
		return "numcuil"
	case len(w) >= 7:
		return "numdni"
	}
	return "num"
}
