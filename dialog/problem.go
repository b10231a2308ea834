package dialog

import (
	"unicode/utf8"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// problemNouns are the nouns of the menu's "Tengo un problema", folded,
// Spanish and English; a slip away counts (problemSlip).
var problemNouns = []string{"problema", "problemas", "problem", "problems"}

// problemFillers are the words around a problem said that name nothing
// else: greetings, "tengo un … con la clave", "can you help".
var problemFillers = set("tengo", "tenemos", "tiene", "tuve", "hay", "un", "una", "unos", "algun", "con", "la", "el",
	"mi", "de", "del", "en", "me", "clave", "contrasena", "anses", "cuenta", "hola", "buenas", "buen", "buenos",
	"dia", "dias", "tardes", "noches", "ayuda", "ayudame", "ayudenme", "por", "favor", "porfa", "i", "have", "a",
	"an", "with", "my", "password", "key", "account", "there", "is", "hi", "hello", "help", "please", "having",
	"im", "am", "some", "the")

// saysProblem reports whether text only says the person has a problem
// with their key ("tengo un porblema", "hola, tengo un problema con la
// clave"): the menu's «Tengo un problema» in their words. A problem with
// something named ("con mi celular") is not it.
func saysProblem(text string) bool {
	found := false
	for _, w := range foldedWords(text) {
		if r, ok := keyNounSpelled[w]; ok {
			w = r
		}
		switch {
		case problemFillers[w]:
		case problemSlip(w):
			found = true
		default:
			return false
		}
	}
	return found
}

// problemSlip reports whether w is a problem noun or a slip away from one
// ("porblema", "probelma", "poblema"): two edits from its seven letters
// and more, one from fewer.
func problemSlip(w string) bool {
	if utf8.RuneCountInString(w) < 6 {
		return false
	}
	for _, n := range problemNouns {
		limit := 1
		if len(n) >= 8 {
			limit = 2
		}
		if registry.EditDistance(w, n) <= limit {
			return true
		}
	}
	return false
}

// problem opens the troubleshooting menu for a person who said they have
// a problem; in the middle of a flow it is offered, the place kept (at a
// flow's first step, nothing given, it opens: see invested), and at the
// menu itself it is asked again.
func (t *turn) problem() error {
	switch {
	case t.st.Step == StepTroubleMenu:
		t.prompt()
	case t.invested():
		t.offerFlow(FlowTrouble, "", i18n.M("offer.switch", "what", i18n.M("topic.trouble")))
	default:
		return t.start(FlowTrouble, "")
	}
	return nil
}
