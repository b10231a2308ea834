package dialog

import (
	"slices"
	"strings"
	"unicode"
)

// How people close a message, older people most of all: "desde ya muchas
// gracias", "atentamente", "saludos cordiales". Read whole, the thanks
// outweighed the request before it ("Quisiera saber el procedimiento para
// obtener la clave. Desde ya muchas gracias." got "¡De nada!"; a words
// probe).

// signOffPhrases close a message without asking anything, as folded
// words; the longest matching phrase is dropped first.
var signOffPhrases = [][]string{
	{"desde", "ya", "muchas", "gracias"}, {"desde", "ya", "muchisimas", "gracias"}, {"gracias", "desde", "ya"},
	{"desde", "ya", "gracias"}, {"muchas", "gracias", "de", "antemano"}, {"gracias", "de", "antemano"},
	{"espero", "su", "respuesta"}, {"espero", "tu", "respuesta"}, {"saludos", "cordiales"}, {"muchas", "gracias"},
	{"muchisimas", "gracias"}, {"mil", "gracias"}, {"desde", "ya"}, {"espero", "respuesta"}, {"quedo", "atento"},
	{"quedo", "atenta"}, {"muy", "amable"}, {"por", "favor"}, {"x", "favor"}, {"thanks", "in", "advance"},
	{"thank", "you"}, {"best", "regards"}, {"kind", "regards"}, {"gracias"}, {"atentamente"}, {"saludos"},
	{"cordialmente"}, {"bendiciones"}, {"xfa"}, {"porfa"}, {"thanks"}, {"regards"}, {"sincerely"}, {"please"},
}

// withoutSignOff is text without the closing it ends with (its words and
// the marks between them), or text itself when it ends with none.
func withoutSignOff(text string) string {
	ws := strings.Fields(text)
	n := len(ws)
	for n > 0 {
		if !strings.ContainsFunc(ws[n-1], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			n-- // "!!", an emoji
			continue
		}
		i := slices.IndexFunc(signOffPhrases, func(p []string) bool { return endsWith(ws[:n], p) })
		if i < 0 {
			break
		}
		n -= len(signOffPhrases[i])
	}
	if n == len(ws) {
		return text
	}
	return strings.Join(ws[:n], " ")
}

// endsWith reports whether the words ws, folded one by one, end with
// phrase.
func endsWith(ws []string, phrase []string) bool {
	if len(ws) < len(phrase) {
		return false
	}
	for i, p := range phrase {
		if fw := foldedWords(ws[len(ws)-len(phrase)+i]); len(fw) != 1 || fw[0] != p {
			return false
		}
	}
	return true
}

// beforeSignOff reads the message without its closing, when the words
// before it ask something: a flow, sure or to suggest ("necesito la
// clave, gracias"), a question the classifier is sure of, or a message of
// several words however unsure ("¡De nada!" is no answer to a request). It reports false when
// the message ends with no closing, or the words before it only tell
// ("ya la hice, muchas gracias" thanks; "bueno listo, gracias").
func (t *turn) beforeSignOff(rest string) ([]Guess, bool) {
	plain := withoutSignOff(rest)
	if plain == rest || len(foldedWords(plain)) == 0 {
		return nil, false
	}
	gs := t.openedWords(plain)
	if len(gs) == 0 || gs[0].Intent == "none" && len(foldedWords(withoutGreeting(plain))) < bodyWords {
		return nil, false
	}
	return gs, startsFlow(gs[0].Intent) || sureInScope(gs, t.e.answerMin) && asksSomething(plain) ||
		len(foldedWords(withoutGreeting(plain))) >= bodyWords
}
