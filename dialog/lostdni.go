package dialog

// lostDNIPhrases say, folded, that the DNI card was lost or stolen.
var lostDNIPhrases = []string{"perdi el dni", "perdi mi dni", "perdi el documento", "perdi mi documento",
	"se me perdio el dni", "se me perdio mi dni", "se me perdio el documento", "se me perdio mi documento",
	"me robaron el dni", "me robaron mi dni", "me robaron el documento", "me robaron mi documento",
	"lost my id", "lost my dni", "my id was stolen", "my dni was stolen"}

// lostKeyToo are the words of a key lost or forgotten along with it.
var lostKeyToo = []string{"olvid", "no me acuerdo", "no recuerdo", "y la clave", "y mi clave", "perdi la clave",
	"perdi mi clave", "forgot"}

// lostDNIForKey reports whether text asks about the key with the DNI
// card lost or stolen ("perdí el documento, ¿cómo hago la clave?"): the
// classifier read "perdí" as the key lost and started its recovery (a
// words probe), where what is needed, a DNI in force, is the answer. A
// key lost or forgotten too is the recovery's.
func lostDNIForKey(text string) bool {
	return says(text, lostDNIPhrases) && saysWords(text, keyNames) && !says(text, lostKeyToo)
}

// noDNIPhrases say, folded, that the person has no DNI card, or only
// another paper ("la precaria", a passport).
var noDNIPhrases = []string{"no tengo dni", "no tengo documento", "precaria", "solo tengo pasaporte", "tengo pasaporte", "tengo el pasaporte", "dont have a dni",
	"don t have a dni", "dont have an argentine dni", "don t have an argentine dni", "have a passport",
	"only have a passport", "no dni"}

// outOfReach are the words of a DNI that is only not at hand: where its
// number is printed is the answer (the step's own, notAtHand).
var outOfReach = []string{"a mano", "aca", "conmigo", "encima", "ahora", "at hand", "with me"}

// lacksDNI reports whether text says the person has no DNI card ("no
// tengo dni, tengo la precaria", "I have a passport"), not that it is out
// of reach ("no tengo el dni a mano", "no tengo el dni").
func lacksDNI(text string) bool {
	return says(text, noDNIPhrases) && !says(text, outOfReach) && !notAtHand(text)
}

// lostVerbs say, folded, that a thing was lost or stolen.
var lostVerbs = []string{"perdi", "se me perdio", "extravie", "se me extravio", "me robaron", "me lo robaron",
	"me la robaron", "me afanaron", "lost", "stolen", "stole"}

// dniNouns name, folded, the DNI card.
var dniNouns = []string{"dni", "documento", "id", "id card"}

// lostDNI reports whether text says the DNI card was lost or stolen
// ("perdí el dni", "me robaron la billetera con el documento"): a new
// one is asked for elsewhere (held-out lines out of scope), but without it
// no key is made here.
func lostDNI(text string) bool { return saysWords(text, lostVerbs) && saysWords(text, dniNouns) }
