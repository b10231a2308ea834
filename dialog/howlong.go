package dialog

import "strings"

// keyDuration is the FAQ's intent of how long getting a key takes.
const keyDuration = "key.duration"

// howMuchLeftPhrases ask, as whole words folded, how much of the steps is
// left.
var howMuchLeftPhrases = []string{"falta mucho", "cuanto falta", "cuanto me falta", "cuanto nos falta", "cuanto queda",
	"queda mucho", "faltan muchos", "faltan muchas", "pasos faltan", "preguntas faltan", "preguntas mas faltan",
	"ya casi terminamos", "ya casi termino", "how much longer", "much left", "almost done", "how many more"}

// asksHowMuchLeft reports whether text asks how much of the steps is
// left: a person in a hurry asking "falta mucho?" where the names are
// asked was told to write only what is on the DNI, without signs, and at
// the birth date that the date could not be read (the classifier, none,
// 0.39; a people probe). Taught to the classifier instead, its examples
// moved five other readings. How much is left is how long it takes.
func asksHowMuchLeft(text string) bool {
	return saysWords(text, howMuchLeftPhrases) || asksIfDone(text)
}

// doneYetPhrases, asked (with a question mark), ask whether the steps are
// over: "listo ya esta?" at an identity question was read as thanks and
// answered «¡De nada!», the question asked again with no word of what is
// left (a people probe). Said without one, "listo, ya está" may be a
// goodbye, and the classifier reads it.
var doneYetPhrases = []string{"ya esta", "ya termine", "ya terminamos", "eso es todo", "is that it", "are we done", "am i done"}

func asksIfDone(text string) bool {
	return strings.ContainsAny(text, "?¿") && saysWords(text, doneYetPhrases)
}
