package dialog

import (
	"strings"
)

// mistakePhrases say, folded, that the person typed something wrong.
var mistakePhrases = []string{"me equivoque", "me confundi", "puse mal", "escribi mal", "le erre",
	"i made a mistake", "typed it wrong", "my mistake"}

// saysMistake reports whether text, at a step waiting for a datum, only
// says a mistake was made: no value (digits), no key named, a few words,
// no question ("¿qué pasa si me equivoco?").
// The classifier read "perdón, me equivoqué" as the lockout's warning
// (error.identity_failed) and told someone who noticed a typo how long
// they would wait (a words probe).
func (t *turn) saysMistake(text string) bool {
	ws := foldedWords(text)
	return t.typed() && !strings.ContainsFunc(text, isDigit) && len(ws) > 0 &&
		len(ws) <= 6 && !questionWords[ws[0]] && says(text, mistakePhrases) && !saysWords(text, keyNames)
}
