package dialog

import "slices"

// relatives are, folded, the people a key is made for (kin's and the
// English ones).
var relatives = set("papa", "mama", "padre", "madre", "hijo", "hija", "esposo", "esposa", "marido", "mujer",
	"abuelo", "abuela", "hermano", "hermana", "tio", "tia", "nieto", "nieta", "suegro", "suegra", "pareja",
	"mami", "papi", "viejo", "vieja", "nene", "nena", "nono", "nona", "abuelita", "abuelito",
	"mom", "mum", "mother", "dad", "father", "son", "daughter", "wife", "husband", "grandma", "grandmother",
	"grandpa", "grandfather", "brother", "sister")

// toWhom are the words before "mi" that make the relative after it the
// key's owner ("la clave a mi mamá", "de mi abuela", "for my mother").
var toWhom = set("a", "de", "para", "for", "of")

// forOthersVerbs do something to a key for someone else ("hacerle la
// clave").
var forOthersVerbs = set("hacerle", "sacarle", "crearle", "generarle", "recuperarle", "cambiarle", "tramitarle",
	"gestionarle", "blanquearle")

// theirKey names another person's key.
var theirKey = []string{"su clave", "su contrasena", "clave de el", "clave de ella", "contrasena de el",
	"contrasena de ella", "la de el", "la de ella", "la suya", "his password", "her password", "their password", "his key",
	"her key"}

// theirBenefit are, folded, what a person collects for or after a
// relative ("la asignación de mi hijo", "la pensión de mi marido"): with
// their own key.
var theirBenefit = set("ayuda", "asignacion", "asignaciones", "auh", "auhs", "pension", "salario", "familiar",
	"beca", "escolaridad", "cuota", "allowance")

// collecting are, folded, the verbs of collecting a benefit: what one
// collects "de mi hija" is collected with one's own key.
var collecting = set("cobrar", "cobro", "cobra", "percibir", "collect", "collecting")

// forRelative reports whether text makes someone else the key's owner:
// a verb of doing it for them, their key named, or a relative after "a
// mi", "de mi", "para mi", "for my" ("con ayuda de mi nieta" is the
// person's own, as is "para cobrar la asignación de mi hijo", which a
// parent collects with their own key: a regression run), or "my dad's"
// (but "my son's allowance").
func forRelative(text string) bool {
	ws := foldedWords(text)
	if slices.ContainsFunc(ws, func(w string) bool { return forOthersVerbs[w] }) || saysWords(text, theirKey) {
		return true
	}
	for i, w := range ws {
		if !relatives[w] || i < 1 || ws[i-1] != "mi" && ws[i-1] != "my" {
			continue
		}
		if slices.ContainsFunc(ws[:i], func(w string) bool { return collecting[w] }) {
			continue // "para cobrar lo de mi hija", "to collect my son's allowance"
		}
		if i+1 < len(ws) && ws[i+1] == "s" { // my dad's
			return !(i+2 < len(ws) && theirBenefit[ws[i+2]])
		}
		if i >= 2 && toWhom[ws[i-2]] && !(i >= 3 && ws[i-2] == "de" && theirBenefit[ws[i-3]]) {
			return true
		}
		if saysWords(text, theirWants) {
			return true // "mi mamá quiere sacar la clave, la ayudo yo?"
		}
	}
	return false
}

// theirWants are, folded, what a relative named wants or cannot do, or
// the person's helping them: "mi mamá es jubilada y quiere sacar la
// clave pero no sabe usar el celu, la ayudo yo?" started the creation
// with no word that the data are hers (a words probe).
var theirWants = []string{"quiere", "quisiera", "necesita", "tiene que", "no sabe", "no puede", "la ayudo", "lo ayudo",
	"ayudarla", "ayudarlo", "wants", "needs", "can t", "cannot", "doesn t know", "help her", "help him"}

// noteRelative says, before a key's flow asked for a relative ("quiero
// hacerle la clave a mi mamá"), that the data and the DNI asked for are
// theirs: the flow speaks of "tu clave", "tu DNI", "tu CUIL" (a words
// probe).
func (t *turn) noteRelative(f Flow) {
	if (f == FlowCreate || f == FlowRecover || f == FlowChange) && forRelative(t.in.Text) {
		t.say("relative.note")
	}
}
