package dialog

import (
	"slices"
	"strings"
)

// helpWords ask for help, folded: "me pueden ayudar?", "help me please".
var helpWords = []string{"ayuda", "ayudar", "ayudame", "ayudeme", "ayuden", "ayudenme", "ayudan", "ayudas",
	"ayude", "ayudarme", "ayudarnos", "help"}

// personWords name someone other than the bot: a person asked for.
var personWords = []string{"persona", "personas", "humano", "humana", "humanos", "alguien", "agente", "agentes",
	"operador", "operadora", "operadores", "empleado", "empleada", "asesor", "asesora", "gente", "real",
	"someone", "somebody", "anyone", "person", "people", "human", "agent", "operator", "representative", "staff",
	"support"}

// askingHelpOnly reports whether text asks for help and names nobody to
// give it: "me pueden ayudar?" is help, from whoever is answering, the bot
// first; "necesito que me ayude una persona" asks for a person.
func askingHelpOnly(text string) bool {
	return saysWords(text, helpWords) && !saysWords(text, personWords)
}

// helpNotHandoff reads a request for help that names nobody as the
// person lost, not as one asking for a person: "me pueden ayudar?" and
// "hola buenas tardes, me podrían ayudar con algo por favor" leaned to the
// handoff (0.54 and 0.86 without the greeting) after a day's training
// lines, and without a desk got "Ahora no puedo comunicarte con una
// persona… andá a una oficina" from a bot that can help (a regression
// probe). The bot says it goes step by step with them and what to type.
func helpNotHandoff(gs []Guess, text string) []Guess {
	if len(gs) == 0 || gs[0].Intent != "agent.handoff" || !askingHelpOnly(text) {
		return gs
	}
	return append([]Guess{{Intent: helpLost, Score: gs[0].Score}}, gs[1:]...)
}

// saysLost reports whether the classifier is sure the message is someone
// lost ("no entiendo nada"), who needs no answer but the next step.
func (t *turn) saysLost() bool {
	g, ok := t.sure(t.guess())
	return ok && g.Intent == helpLost
}

// lostWords say, as whole words folded, that the person does not
// understand or does not know how to go on.
var lostWords = []string{"no entendi", "no entiendo", "no te entiendo", "no le entiendo", "no comprendo",
	"no se como seguir", "no se como sigo", "no se como continuar", "dont understand", "don t understand"}

// saysLostWords reports whether text says the person is lost: "no entendi
// nada" at the menu got «Eso no lo sé responder» (none, 0.97) and where
// the CUIL is asked «El CUIL tiene 11 números. Revisalo…»; "no sé cómo
// seguir" «Eso no lo sé responder» too (a people probe), where "no
// entiendo" is answered as someone lost. Read only where the classifier
// is sure of nothing in scope: "no entiendo por qué me piden el DNI" asks
// why, and "no entiendo la factura de la luz" is out of scope: the words
// besides must be only of the person lost.
func saysLostWords(text string) bool {
	f := " " + foldedPhrase(text) + " "
	for _, p := range lostWords {
		if i := wordsIndex(f, p); i >= 0 {
			rest := strings.Fields(f[:i] + " " + f[i+len(p)+1:])
			return !slices.ContainsFunc(rest, func(w string) bool { return !lostTail[w] })
		}
	}
	return false
}

// lostTail are, folded, the words said with being lost that say nothing
// else: "no entiendo nada de esto", "perdón, no entendí".
var lostTail = set("nada", "de", "esto", "eso", "lo", "que", "me", "muy", "bien", "mucho", "todavia", "aun", "ya",
	"sinceramente", "la", "verdad", "perdon", "disculpa", "disculpe", "che", "y", "pero", "ahora", "aca", "hola",
	"buenas", "jaja", "uff", "uf", "ay", "sorry", "anything", "i", "what", "to", "do")
