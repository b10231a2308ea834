package dialog

import (
	"slices"
	"strings"
	"unicode"
)

// How people open a message on WhatsApp: a greeting, and often only then
// what they want ("hola buenas noches, cómo estás? me olvidé la clave"),
// or an announcement that a question follows ("tengo una consulta"). The
// classifier reads the whole message, and a long greeting outweighed the
// request: the person got the welcome and the menu, and had to say again
// what they had said.

// intentAsk is the person saying they have a question, not asking it yet:
// the FAQ's prompt at rest, "dale, preguntame" in a flow. Not an intent of
// the classifier (CONTRACT §6): the engine reads it before.
const intentAsk = "ask"

// greetingPhrases open a message without asking anything, as folded words;
// the longest matching phrase is dropped first.
var greetingPhrases = [][]string{
	{"disculpe", "la", "molestia"}, {"disculpa", "la", "molestia"}, {"perdon", "la", "molestia"},
	{"disculpen", "la", "molestia"}, {"disculpe", "la", "hora"}, {"disculpa", "la", "hora"},
	{"disculpen", "la", "hora"}, {"perdon", "la", "hora"}, {"todo", "bien"}, {"como", "va", "todo"},
	{"como", "le", "va"}, {"como", "te", "va"},
	{"buen", "dia"}, {"buenos", "dias"}, {"buenas", "tardes"}, {"buenas", "noches"}, {"buenas", "buenas"},
	{"que", "tal"}, {"como", "estas"}, {"como", "esta"}, {"como", "andas"}, {"como", "anda"},
	{"como", "andan"}, {"como", "va"}, {"como", "estan"}, {"good", "morning"}, {"good", "afternoon"},
	{"good", "evening"}, {"how", "are", "you"}, {"que", "onda"}, {"q", "onda"}, {"k", "onda"},
	// English small talk, asked ("hi what's up?") and no question (a
	// regression run: "I cannot answer that" to them as a first message)
	{"how", "are", "you", "doing", "today"}, {"how", "are", "you", "doing"}, {"how", "are", "you", "today"},
	{"how", "you", "doing"}, {"how", "s", "it", "going"}, {"hows", "it", "going"}, {"how", "is", "it", "going"},
	{"what", "s", "up"}, {"whats", "up"}, {"wassup"}, {"sup"},
	// Portuguese ("oi tudo bem, preciso fazer minha senha" got the
	// welcome alone; a people probe)
	{"tudo", "bem"}, {"bom", "dia"}, {"boa", "tarde"}, {"boa", "noite"}, {"oi"},
	{"hola"}, {"ola"}, {"buenas"}, {"buendia"}, {"holis"}, {"saludos"}, {"hey"}, {"hi"}, {"hello"},
	{"senor"}, {"senora"}, {"senorita"}, {"estimado"}, {"estimada"}, {"estimados"}, {"estimadas"}, {"senores"},
	{"anses"}, {"bot"}, {"bien"}, {"y"}, {"vos"},
}

var afterGreeting = set("senor", "senora", "senorita", "estimado", "estimada", "estimados", "estimadas", "senores",
	"anses", "bot", "bien", "y", "vos")

// withoutGreeting is text without the greeting it opens with (its words
// and the marks between them), or text itself when it is all greeting or
// opens with none.
func withoutGreeting(text string) string {
	body, _ := splitGreeting(text)
	return body
}

// onlyGreeting reports whether text is a greeting and nothing else
// ("hola, ¿cómo estás?"): a question mark there asks nothing.
func onlyGreeting(text string) bool {
	_, only := splitGreeting(text)
	return only
}

// splitGreeting is withoutGreeting, also telling whether text was all
// greeting.
func splitGreeting(text string) (string, bool) {
	type word struct {
		folded   string
		from, to int // byte offsets in text
	}
	var ws []word
	for i := 0; i < len(text); {
		j := strings.IndexFunc(text[i:], unicode.IsLetter)
		if j < 0 {
			break
		}
		i += j
		k := strings.IndexFunc(text[i:], func(r rune) bool { return !unicode.IsLetter(r) })
		if k < 0 {
			k = len(text) - i
		}
		ws = append(ws, word{squeeze(fold(text[i : i+k])), i, i + k})
		i += k
	}
	n := 0 // greeting words at the start
	for n < len(ws) {
		matched := 0
		for _, p := range greetingPhrases {
			if len(p) > matched && n+len(p) <= len(ws) && slices.EqualFunc(p, ws[n:n+len(p)], func(a string, w word) bool { return a == w.folded }) {
				matched = len(p)
			}
		}
		if matched == 0 {
			break
		}
		n += matched
	}
	// Some words greet only after a greeting ("hola anses", "hola, bien y
	// vos?"): a message that starts with them says something else.
	if n == 0 || afterGreeting[ws[0].folded] {
		return text, false
	}
	if n == len(ws) {
		return text, true
	}
	return strings.TrimLeftFunc(text[ws[n].from:], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), false
}

// asksSomething reports whether text, past its greeting, is a question of
// two words or more ("cuánto sale?", "¿dónde queda la oficina?"): not
// small talk, however short.
func asksSomething(text string) bool {
	if onlyGreeting(text) {
		return false
	}
	body := withoutGreeting(text)
	ws := foldedWords(body)
	return len(ws) >= 2 && (strings.ContainsAny(body, "?¿") || interrogatives[ws[0]])
}

// introduces reports whether text opens with the person saying who they
// are ("mi nombre es Paz", "me llamo…", "soy…"): a greeting, not the
// data-mismatch question the classifier read in "mi nombre es".
func introduces(text string) bool {
	ws := foldedWords(text)
	return len(ws) >= 2 && (ws[0] == "soy" || ws[0] == "me" && ws[1] == "llamo" ||
		len(ws) >= 3 && ws[0] == "mi" && ws[1] == "nombre" && ws[2] == "es")
}

// onlyIntroduces reports whether text is a greeting and who the person
// is, and nothing else ("hola soy graciela", "Hola, me llamo Luz"): the
// names in it are often words, cities too ("Rosario de Rosario"), and
// the classifier read them as something out of scope.
func onlyIntroduces(text string) bool {
	plain := withoutSelfNames(text)
	if plain == text {
		return false
	}
	return strings.IndexFunc(plain, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 ||
		onlyGreeting(plain)
}

// selfOpeners open the words in which a person says who they are.
var selfOpeners = [][]string{{"me", "llamo"}, {"mi", "nombre", "es"}, {"yo", "soy"}, {"soy"}}

// withoutNamesAfter is rest without the full names r read after its
// sentence when data come with them ("me olvidé la clave. Lucía Soledad
// Fernández, 27-…"): they say nothing of what the person asks. Rest
// itself otherwise: without data, the words read as names after a
// sentence are often none ("quiero cambiar la clave del cajero").
func withoutNamesAfter(rest string, r *reading) string {
	if !r.sentence || r.data() == 0 || r.afterSentence >= len(r.names) {
		return rest
	}
	for _, n := range r.names[r.afterSentence:] {
		if n.words >= 2 {
			rest = strings.Replace(rest, n.text, "", 1)
		}
	}
	return rest
}

// withoutSelfNames is text without the introductions it holds ("soy
// Lucía Soledad Fernández", "me llamo …"): the opener and the run of
// names after it, up to a mark. A name says nothing of what the person
// asks, and some names outweighed the request they came with. Text
// itself when it introduces no one.
func withoutSelfNames(text string) string {
	type word struct {
		folded   string
		from, to int
	}
	var ws []word
	for i := 0; i < len(text); {
		j := strings.IndexFunc(text[i:], unicode.IsLetter)
		if j < 0 {
			break
		}
		i += j
		k := strings.IndexFunc(text[i:], func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
		if k < 0 {
			k = len(text) - i
		}
		ws = append(ws, word{fold(text[i : i+k]), i, i + k})
		i += k
	}
	var b strings.Builder
	from := 0
	for n := 0; n < len(ws); n++ {
		opener := 0
		for _, p := range selfOpeners {
			if n+len(p) <= len(ws) && slices.EqualFunc(p, ws[n:n+len(p)], func(a string, w word) bool { return a == w.folded }) {
				opener = len(p)
				break
			}
		}
		if opener == 0 {
			continue
		}
		end, names := n+opener, 0
		for end < len(ws) && strings.TrimSpace(text[ws[end-1].to:ws[end].from]) == "" &&
			(particles[ws[end].folded] || nameWord(ws[end].folded) && !notName(ws[end].folded)) {
			if !particles[ws[end].folded] {
				names++
			}
			end++
		}
		if names == 0 {
			continue
		}
		b.WriteString(text[from:ws[n].from])
		from = ws[end-1].to
		n = end - 1
	}
	if from == 0 {
		return text
	}
	b.WriteString(text[from:])
	return b.String()
}

// squeeze drops letters repeated at a word's end: "holaaa", "buenass".
func squeeze(w string) string {
	for len(w) > 2 && w[len(w)-1] == w[len(w)-2] {
		w = w[:len(w)-1]
	}
	return w
}

// askWords are the words of "I have a question"; askNouns, one of which
// it must hold.
var (
	askWords = set("tengo", "tendria", "hago", "hacer", "hacerte", "hacerle", "te", "le", "queria", "quiero",
		"puedo", "podria", "una", "otra", "un", "mas", "algo", "por", "favor", "si", "ok", "bueno", "dale",
		"i", "have", "a", "another", "can", "one", "more", "something", "quick")
	askNouns = set("pregunta", "preguntita", "consulta", "consultita", "duda", "dudas", "preguntar",
		"preguntarte", "preguntarle", "consultar", "consultarte", "consultarle", "question", "ask")
)

// askingToAsk reports whether text only says a question follows: "tengo
// una pregunta", "otra consulta", "¿puedo hacerte una pregunta?". The
// classifier read "pregunta" as the identity questions, and answered what
// to do after failing them.
func askingToAsk(text string) bool {
	ws := foldedWords(text)
	if len(ws) == 0 || len(ws) > 7 {
		return false
	}
	noun := false
	for _, w := range ws {
		switch {
		case askNouns[w]:
			noun = true
		case !askWords[w]:
			return false
		}
	}
	return noun
}
