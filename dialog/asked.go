package dialog

import (
	"slices"
	"strings"
)

// Two questions in one message ("¿cuánto sale y cuánto tarda?", "¿qué es
// la clave y para qué sirve?"): read whole, the classifier answered one
// and the other was dropped unsaid (the words probe's leftovers). Each
// question is read on its own; those the bot knows are answered in the
// order asked, and one it does not know is said to be, not dropped.

// askOpeners open a question, folded.
var askOpeners = set("que", "q", "k", "como", "cuanto", "cuanta", "cuantos", "cuantas", "cuando", "donde", "cual",
	"cuales", "quien", "quienes", "what", "how", "why", "where", "when", "which", "who")

// askPrepositions open a question with "que" after them: "para qué", "pa
// q", "a qué", "en qué".
var askPrepositions = set("para", "pa", "por", "a", "en", "de", "con")

// askJoiners join two questions: "… y cuánto tarda".
var askJoiners = set("y", "e", "o", "and", "or")

// askFillers come before a question and ask nothing ("y", "che", "pero").
var askFillers = set("y", "e", "o", "che", "pero", "and", "but", "so", "ah")

// maxAsked is how many questions of one message are answered apart.
const maxAsked = 3

// opensQuestion reports whether the words ws, folded, open a question.
func opensQuestion(ws []string) bool {
	for len(ws) > 0 && askFillers[ws[0]] {
		ws = ws[1:]
	}
	switch {
	case len(ws) < 2:
		return false
	case askOpeners[ws[0]]:
		return true
	}
	return askPrepositions[ws[0]] && (ws[1] == "que" || ws[1] == "q")
}

// askedParts splits text into the questions it asks, when it asks two or
// more: pieces, split at the marks and before a joiner followed by a
// question, that each open a question of two words or more ("q es la
// clave y pa q sirve", as typed without marks). A question with a remark
// ("¿qué necesito? tengo el dni nomás"), or "cuando" that is no question
// ("generé la clave y cuando entro me saca") is one message: nil.
func askedParts(text string) []string {
	var parts []string
	for _, piece := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune("?¿!.;\n", r) }) {
		ws := strings.Fields(piece)
		from := 0
		for i := 1; i < len(ws)-1; i++ {
			if askJoiners[fold(ws[i])] && opensQuestion(foldedWords(strings.Join(ws[i+1:], " "))) &&
				opensQuestion(foldedWords(strings.Join(ws[from:i], " "))) {
				parts = append(parts, strings.Join(ws[from:i], " "))
				from = i + 1
			}
		}
		if rest := strings.Join(ws[from:], " "); len(foldedWords(rest)) > 0 {
			parts = append(parts, rest)
		}
	}
	if len(parts) < 2 || len(parts) > maxAsked {
		return nil
	}
	for i, p := range parts {
		if !opensQuestion(foldedWords(p)) {
			return nil
		}
		parts[i] = strings.Trim(p, " ,:")
	}
	return parts
}

// subjects are, folded, what a question is asked of: "lo" and "la" in a
// second question stand for the one the first named.
var subjects = []string{"cuil", "dni", "documento", "codigo", "tramite", "mail", "correo", "celular", "clave",
	"contrasena", "password", "key"}

// subjectOf is the first subject text names, or the key.
func subjectOf(text string) string {
	for _, w := range foldedWords(text) {
		if slices.Contains(subjects, w) {
			return w
		}
	}
	return "clave"
}

// asked is a question of a message and what it asks ("" when the bot
// does not know it).
type asked struct{ text, intent string }

// readAsked reads each question of text apart. It reports false when text
// asks fewer than two, when the classifier is unsure of one of them, or
// when they come to fewer than two things to say: the whole message is
// then read as one. Greetings and thanks among them say nothing, and at
// most one of them starts a flow.
func (t *turn) readAsked(text string) ([]asked, bool) {
	var out []asked
	known, flows := 0, 0
	for _, p := range askedParts(text) {
		gs := t.classifyOwnWords(p)
		g, ok := t.sure(gs)
		if subject := subjectOf(text); !ok && !saysWords(p, []string{subject}) {
			// "¿qué necesito y cómo la hago?", "¿qué es el cuil y dónde
			// lo encuentro?": asked of what the message names ("cómo la
			// hago" alone is none).
			g, ok = t.sure(t.classifyOwnWords(p + " " + subject))
		}
		switch {
		case ok && (g.Intent == "greeting" || g.Intent == "thanks_bye" || g.Intent == intentAsk):
		case ok && slices.ContainsFunc(out, func(a asked) bool { return a.intent == g.Intent }):
		case ok:
			out = append(out, asked{p, g.Intent})
			known++
			if startsFlow(g.Intent) {
				flows++
			}
		case len(gs) > 0 && gs[0].Intent == "none" && gs[0].Score >= t.e.answerMin:
			out = append(out, asked{p, ""})
		default:
			return nil, false
		}
	}
	return out, known > 0 && len(out) >= 2 && flows <= 1
}

// answerAsked answers each question of a message that asks two or more
// (readAsked), and reports whether it did: those not known said first,
// then the answers in the order asked, the flow asked for last, and what
// follows the last answer as after one (rated, or the step asked again).
func (t *turn) answerAsked(text string) (bool, error) {
	if t.def().secret {
		return false, nil
	}
	as, ok := t.readAsked(withoutGreeting(t.reading().rest))
	if !ok {
		return false, nil
	}
	t.st.Unknown = 0
	var answers []string
	for _, a := range as {
		if a.intent == "" {
			t.event(Event{Name: "not_understood"})
			// Said back masked as the transcript masks the person's
			// words: a phone in it ("…no me llega nada al 0351 15 555
			// 1234") reached the desk and Redis whole in the bot's line
			// (an attack probe).
			t.say("question.part_unknown", "text", t.masked(a.text))
			continue
		}
		answers = append(answers, a.intent)
	}
	slices.SortStableFunc(answers, func(a, b string) int {
		switch {
		case startsFlow(a) && !startsFlow(b):
			return 1
		case startsFlow(b) && !startsFlow(a):
			return -1
		}
		return 0
	})
	for _, in := range answers[:len(answers)-1] {
		t.event(Event{Name: "faq", Intent: in})
		t.answer(in)
	}
	return true, t.intent(answers[len(answers)-1])
}
