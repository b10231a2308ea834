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
var theirKey = []string{"su clave", "su contrasena", "his password", "her password", "their password", "his key",
	"her key"}

// forRelative reports whether text makes someone else the key's owner:
// a verb of doing it for them, their key named, or a relative after "a
// mi", "de mi", "para mi", "for my" ("con ayuda de mi nieta" is the
// person's own), or "my dad's".
func forRelative(text string) bool {
	ws := foldedWords(text)
	if slices.ContainsFunc(ws, func(w string) bool { return forOthersVerbs[w] }) || saysWords(text, theirKey) {
		return true
	}
	for i, w := range ws {
		if !relatives[w] || i < 1 || ws[i-1] != "mi" && ws[i-1] != "my" {
			continue
		}
		if i+1 < len(ws) && ws[i+1] == "s" { // my dad's
			return true
		}
		if i >= 2 && toWhom[ws[i-2]] && !(i >= 3 && ws[i-2] == "de" && ws[i-3] == "ayuda") {
			return true
		}
	}
	return false
}

// noteRelative says, before a key's flow asked for a relative ("quiero
// hacerle la clave a mi mamá"), that the data and the DNI asked for are
// theirs: the flow speaks of "tu clave", "tu DNI", "tu CUIL" (a words
// probe).
func (t *turn) noteRelative(f Flow) {
	if (f == FlowCreate || f == FlowRecover || f == FlowChange) && forRelative(t.in.Text) {
		t.say("relative.note")
	}
}
