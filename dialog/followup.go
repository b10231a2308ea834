package dialog

import (
	"slices"
	"strings"
)

// answeredSubject is the subject of the FAQ's answer to intent, as a
// question names it: the CUIL, the número de trámite, the key; "" for
// answers about no datum (the desk's hours, a person).
func answeredSubject(intent string) string {
	switch {
	case strings.HasPrefix(intent, "cuil.") || intent == "error.cuil_unknown":
		return "cuil"
	case intent == "dni.tramite":
		return "tramite"
	case strings.HasPrefix(intent, "key."):
		return "clave"
	}
	return ""
}

// followUp reads a bare question typed after an answer ("como lo
// averiguo", "y donde lo consigo?") as asked of what was just answered:
// after what the CUIL is, "como lo averiguo" got «Eso no lo sé
// responder» (none 0.92; a people probe), where "como lo averiguo el
// cuil" is where the CUIL is found (0.99). It returns the intent when the
// classifier is sure of it so.
func (t *turn) followUp(text, answered string) (string, bool) {
	subject := answeredSubject(answered)
	if subject == "" || strings.ContainsFunc(text, isDigit) || !bareQuestion(text) || onlyGreeting(text) ||
		!refersBack(text) {
		return "", false
	}
	g, sure := t.sure(t.classifyOwnWords(text + " " + subject))
	return g.Intent, sure && g.Intent != "greeting" && g.Intent != "thanks_bye"
}

// backWords point at what was said before: "como lo averiguo", "y eso
// donde es", folded.
var backWords = set("lo", "la", "los", "las", "eso", "esto", "ese", "esa")

// refersBack reports whether a bare question points at what was said
// before, or is an opener and a verb alone ("como hago?"): "que hora
// es", which names its own subject, read with the CUIL was where the
// CUIL is found.
func refersBack(text string) bool {
	ws := foldedWords(text)
	for len(ws) > 1 && questionFillers[ws[0]] {
		ws = ws[1:]
	}
	return len(ws) == 2 || slices.ContainsFunc(ws, func(w string) bool { return backWords[w] })
}
