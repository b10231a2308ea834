package dialog

import (
	"slices"
	"strings"

	"github.com/clavebot/clavebot/i18n"
)

// What people write where the CUIL is asked besides a CUIL: an
// acknowledgement of the checklist before it. The CUIL itself, its
// mistakes and the questions asked there are onCUIL's (identity.go).

// readCUIL reads the answer at the CUIL step: what it says besides a
// CUIL first, then the CUIL (onCUIL).
func (t *turn) readCUIL(text string) error {
	if saysReady(text) {
		// "sí, lo tengo", "dale", 👍 after the checklist: the CUIL asked
		// again, kindly (it got "El CUIL tiene 11 números", an answer of
		// the FAQ or "¡Hola de nuevo!"; a probe of people's words).
		t.asking(i18n.M("cuil.ack"))
		return nil
	}
	return t.onCUIL(text)
}

// readyWords are the words of an acknowledgement, folded: "sí, lo tengo",
// "ok ya lo tengo a mano", "de acuerdo", "yes I have it".
var readyWords = set("si", "ok", "okey", "oki", "dale", "bueno", "listo", "ya", "lo", "la", "los", "las", "tengo",
	"tenemos", "a", "mano", "aca", "ahi", "perfecto", "genial", "entendido", "entendi", "de", "acuerdo", "claro",
	"joya", "barbaro", "va", "vamos", "todo", "y", "bien", "gracias", "yes", "yeah", "i", "have", "it", "got",
	"sure", "ready", "all", "set", "right", "thanks", "okay", "great", "perfect")

// saysReady reports whether text only acknowledges what the bot said
// (the checklist: "sí, lo tengo"), broader than the menu's acknowledges:
// made of readyWords (a yes typed long, "siii", "okk", counts), or of marks
// and emoji without a question mark ("👍").
func saysReady(text string) bool {
	if strings.ContainsFunc(text, isDigit) {
		return false
	}
	ws := foldedWords(text)
	if len(ws) == 0 {
		return !strings.ContainsAny(text, "?¿")
	}
	return len(ws) <= 8 && !slices.ContainsFunc(ws, func(w string) bool {
		return !readyWords[w] && !readyWords[squeezeYesNo(w)] && !readyWords[squeeze(w)]
	})
}
