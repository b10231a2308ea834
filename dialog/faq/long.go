package faq

import (
	"slices"
	"strings"

	"github.com/clavebot/clavebot/dialog"
)

// A long message, a voice note typed out, tells a story around its
// request: "hola buen día mirá te cuento que quiero sacar la clave de
// anses porque me dijeron en el banco que la necesito para cobrar la
// pensión de mi marido que falleció…" was out of scope as a whole (the
// pension is), while its first clause is a clear request (found by a
// probe). Such a message is also read clause by clause.
const (
	// longWords is how many words make a message long.
	longWords = 16
	// clauseMin is how sure of a clause the classifier must be for it to
	// stand for the message.
	clauseMin = 0.6
	// clauseWords is the fewest words a clause has: fewer are joined to
	// the next one ("y no sé" says nothing alone).
	clauseWords = 4
	// supportMin is how likely the whole message must find a clause's
	// intent for the clause to stand for it.
	supportMin = 0.05
	// wholeSure is how sure of a whole message out of scope (or only
	// greeting) the classifier must be for its clauses not to be read.
	wholeSure = 0.75
)

// joiners start another clause when a message runs on without marks.
var joiners = map[string]bool{
	"porque": true, "pero": true, "y": true, "para": true, "entonces": true, "aunque": true, "igual": true, "asi": true,
	"because": true, "but": true, "and": true, "so": true, "though": true,
}

// saying are the words of reported speech, after which "que" starts what
// was said: "me dijeron que necesito la clave".
var saying = map[string]bool{
	"dijo": true, "dijeron": true, "dice": true, "dicen": true, "cuento": true, "conto": true, "contaron": true,
	"explico": true, "explicaron": true, "comento": true, "comentaron": true, "aviso": true, "avisaron": true,
}

// byClause reads a long message whose whole the classifier is unsure of
// clause by clause: a clause sure to ask for a flow (creating, recovering
// or changing the key, a person), which the whole also leans to, stands
// for the message; of several, the one the whole leans to most. Answers are left to the whole: a
// question asked at length reads well as one. It reports false when no
// clause stands.
func (c *Classifier) byClause(text string, whole []dialog.Guess) ([]dialog.Guess, bool) {
	if len(strings.Fields(text)) < longWords || !unsure(whole[0]) {
		return nil, false
	}
	var best []dialog.Guess
	bestSupport := 0.0
	for _, cl := range clauses(text) {
		gs := c.classifyText(withoutOpening(cl))
		g := gs[0]
		sup := support(whole, g.Intent)
		if !flowIntents[g.Intent] || g.Score < clauseMin || sup < supportMin {
			continue
		}
		if best == nil || sup > bestSupport {
			best, bestSupport = gs, sup
		}
	}
	return best, best != nil
}

// unsure reports whether the whole of a message leaves it to its clauses:
// out of scope or a greeting, not very sure; lost, always, since a long
// message says what for ("yo no sé nada de esto, ¿cómo la saco?"); in
// scope, not sure enough to answer.
func unsure(g dialog.Guess) bool {
	switch {
	case g.Intent == "help.lost":
		return true
	case chitchat(g.Intent):
		return g.Score < wholeSure
	}
	return g.Score < AnswerThreshold
}

// flowIntents start a flow in a chat (CONTRACT §6).
var flowIntents = map[string]bool{"key.create": true, "key.recover": true, "key.change": true, "agent.handoff": true}

// support is how likely the whole message finds intent: a clause alone is
// read surer than it means ("y no sé a quién preguntar", of a pension, is
// not the identity questions; "so i had a password years ago" is no
// request to create one), so the clauses propose and the whole chooses.
func support(whole []dialog.Guess, intent string) float64 {
	if i := slices.IndexFunc(whole, func(g dialog.Guess) bool { return g.Intent == intent }); i >= 0 {
		return whole[i].Score
	}
	return 0
}

// clauses splits text at its marks (. , ; : ! ?) and before the words
// that join clauses, then joins clauses too short to say anything to the
// next one.
func clauses(text string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, piece := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(".,;:!?¿¡\n", r) }) {
		for _, w := range strings.Fields(piece) {
			if len(cur) >= clauseWords && joiners[fold(w)] {
				flush()
			}
			cur = append(cur, w)
			if len(cur) >= clauseWords && fold(w) == "que" && saying[fold(cur[len(cur)-2])] {
				// "mi nieto me dijo que | tengo que crear la clave"
				flush()
			}
		}
		if len(cur) >= clauseWords {
			flush()
		}
	}
	flush()
	return out
}

// openings greet before a clause says anything, as folded words: read
// with the clause, "hola buen día" made the request after it unsure.
var openings = [][]string{
	{"buen", "dia"}, {"buenos", "dias"}, {"buenas", "tardes"}, {"buenas", "noches"}, {"que", "tal"},
	{"como", "estas"}, {"como", "esta"}, {"como", "va"}, {"good", "morning"}, {"good", "afternoon"},
	{"good", "evening"}, {"hi", "there"}, {"hola"}, {"buenas"}, {"hi"}, {"hello"}, {"hey"},
}

// withoutOpening is clause without the greetings it starts with.
func withoutOpening(clause string) string {
	ws := strings.Fields(clause)
	n := 0
	for n < len(ws) {
		i := slices.IndexFunc(openings, func(p []string) bool {
			return n+len(p) <= len(ws) && slices.EqualFunc(p, ws[n:n+len(p)], func(o, w string) bool {
				return collapse(strings.TrimSpace(fold(w))) == o
			})
		})
		if i < 0 {
			break
		}
		n += len(openings[i])
	}
	if n == 0 || n == len(ws) {
		return clause
	}
	return strings.Join(ws[n:], " ")
}
