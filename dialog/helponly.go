package dialog

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
