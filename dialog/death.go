package dialog

import (
	"slices"

	"github.com/clavebot/clavebot/i18n"
)

// A death told: the deceased's key cannot be made, recovered or used, and
// what follows a death is asked at an ANSES office; the person's own key
// is theirs to make, and the bot helps with it.

// deathWords say, folded, that someone died.
var deathWords = []string{"fallecio", "fallecido", "fallecida", "fallecieron", "fallecimiento", "murio",
	"murieron", "difunto", "difunta", "paso a mejor vida", "passed away", "died", "deceased"}

// deathOfWhom are the words that make a death a person's ("se me murió el
// celular" is none): a relative, their key, a person.
var deathOfWhom = []string{"su clave", "su contrasena", "persona", "familiar", "titular", "his", "her", "someone",
	"relative"}

// tellsOfDeath reports whether text tells of a person's death.
func tellsOfDeath(text string) bool {
	if !saysWords(text, deathWords) {
		return false
	}
	for _, w := range foldedWords(text) {
		if relatives[w] {
			return true
		}
	}
	return saysWords(text, deathOfWhom)
}

// ownKeyWords name, folded, the person's own key.
var ownKeyWords = []string{"mi clave", "mi contrasena", "mi propia clave", "mi propia contrasena", "la mia",
	"una clave para mi", "la clave para mi", "my password", "my key", "my own password", "my own key", "a password for me"}

// deceasedOwn answers a death told with the person's own key wanted.
const deceasedOwn i18n.Key = "elsewhere.deceased_own"

// deathAnswer is the answer to text, which tells of a death: the
// deceased's key named ("su clave", "la clave de él", "la clave de mi
// papá") is the deceased's answer; a key wanted otherwise, the person's
// own named or said for what they collect ("necesito mi clave",
// "quiero sacar la clave para cobrar la pensión de mi marido"), or whose
// unsaid but a key's flow read ("mi mamá falleció y necesito sacar la
// clave"), gets the care and the person's own key (deceasedOwn).
// "mi papá murió y necesito la clave de él" started the creation of a
// key, and "mi esposo falleció y quiero cobrar la pensión, necesito mi
// clave" got the condolences alone (the words probe's leftovers).
func deathAnswer(text string, g Guess, sure bool) i18n.Key {
	if saysWords(text, theirKey) || forRelative(text) {
		return "elsewhere.deceased"
	}
	if ownAfterDeath(text) || saysUndenied(text, wantKeyPhrases) || sure && keyFlow(g.Intent) {
		return deceasedOwn
	}
	return "elsewhere.deceased"
}

// ownAfterDeath reports whether text makes the key wanted the person's
// own: named so, or wanted to collect (a pension after the death).
func ownAfterDeath(text string) bool {
	return saysWords(text, ownKeyWords) || slices.ContainsFunc(foldedWords(text), func(w string) bool { return collecting[w] })
}

// keyFlow reports whether intent starts a flow on a key.
func keyFlow(intent string) bool {
	return intent == "key.create" || intent == "key.recover" || intent == "key.change"
}

// ownKeyAfterDeath goes on, after deceasedOwn, to the person's own key:
// the flow the classifier read, when the key is the person's own, or
// what to do with it.
func (t *turn) ownKeyAfterDeath(g Guess, sure bool) error {
	if sure && keyFlow(g.Intent) && ownAfterDeath(t.in.Text) {
		return t.intent(g.Intent)
	}
	t.keyWord()
	return nil
}
