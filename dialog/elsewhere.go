package dialog

import "github.com/clavebot/clavebot/i18n"

// Elsewhere: what people ask that the bot does not do, but that the
// knowledge, or the plain truth, says where to ask. Still out of scope
// (no "faq" event, nothing rated), each gets its own answer instead of
// "Eso no lo sé responder" or a step's format hint, and the pending
// question again.

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

// elsewhereAnswer is the answer to text when it asks what is done
// elsewhere, or "". sure is whether the classifier is sure of an in-scope
// reading: a widow who wants her own key to collect a pension starts it.
// A relative's death otherwise, whatever the classifier read (a deceased
// person's key read as its recovery, the security tips), and their key
// named always ("falleció mi papá, quiero recuperar su clave" is no
// recovery to start).
func elsewhereAnswer(text string, sure bool) i18n.Key {
	if tellsOfDeath(text) && (!sure || saysWords(text, theirKey)) {
		return "elsewhere.deceased"
	}
	return ""
}

// elsewhere answers text when it asks what is done elsewhere, and
// reports whether it did. Never at a key step, where "Turno2024" may be
// a key.
func (t *turn) elsewhere(text string) bool {
	if t.def().secret {
		return false
	}
	_, sure := t.classify()
	k := elsewhereAnswer(withoutGreeting(text), sure)
	if k == "" {
		return false
	}
	t.st.Unknown = 0
	t.event(Event{Name: "out_of_scope", Intent: string(k)})
	t.say(k)
	t.prompt()
	return true
}
