package dialog

import "strings"

// A question of how to write the datum asked ("¿tengo que poner la fecha
// con barras?", "¿el dni va con puntos?") got «Esa pregunta no la sé
// responder» or «No pude leer esa fecha» (a people probe): the classifier
// knows no such intent, and the step read it as a value. It is answered
// with the step's help, which says how to type it.

// formatSteps are the steps whose datum is typed in a format: their help
// says it.
var formatSteps = map[Step]bool{StepCUIL: true, StepBirthDate: true, StepDNI: true, StepTramite: true}

// formatWords speak of how a datum is written, folded.
var formatWords = set("barra", "barras", "barrita", "barritas", "guion", "guiones", "guioncito", "guioncitos",
	"punto", "puntos", "puntito", "puntitos", "formato", "espacio", "espacios", "junto", "juntos", "separado",
	"separados", "separada", "slash", "slashes", "dash", "dashes", "hyphen", "hyphens", "dot", "dots", "format",
	"spaces")

// formatPhrases ask how to write it without a format word, folded.
var formatPhrases = []string{"como la escribo", "como lo escribo", "como la pongo", "como lo pongo", "como se escribe",
	"como se pone", "como va", "how do i write", "how should i write", "how do i type"}

// formatQuestion answers a question of how to write the step's datum, and
// reports whether it did. A message with a digit is a value, read by the
// step ("25/05/1980?").
func (t *turn) formatQuestion(text string) bool {
	help, ok := stepHelp[t.st.Step]
	if !formatSteps[t.st.Step] || !ok || strings.ContainsFunc(text, isDigit) {
		return false
	}
	ws := foldedWords(text)
	asks := strings.ContainsAny(text, "?¿")
	said := false
	for _, w := range ws {
		said = said || formatWords[w]
	}
	joined := " " + strings.Join(ws, " ") + " "
	for _, p := range formatPhrases {
		if hasWords(joined, p) {
			said, asks = true, true
		}
	}
	if !said || !asks && len(ws) > 6 {
		return false
	}
	t.say(help)
	t.prompt()
	return true
}
