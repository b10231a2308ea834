package dialog

import "strings"

// Problems people tell in their own words, read before the classifier
// where it read them wrong: the key changed by someone else, the message
// with a code not arriving, a key wanted for a benefit.

// changedByOthersPhrases say, folded, that someone else changed the key:
// "me cambiaron la clave", "alguien cambió mi contraseña".
var changedByOthersPhrases = []string{"me cambiaron", "me la cambiaron", "le cambiaron", "alguien cambio",
	"alguien me cambio", "alguien me la cambio", "someone changed", "somebody changed", "changed my password without"}

// changedByOthers reports whether text says someone else changed the key
// ("me cambiaron la clave y no puedo entrar"): the classifier read it as
// the person wanting to change it, and «Cambiar mi clave» asked the
// current key they no longer have. A key someone else set is a key
// someone else knows: recovered (key.compromised).
func changedByOthers(text string) bool {
	return saysUndenied(text, changedByOthersPhrases) && saysWords(text, keyNames)
}

// codeMissingPhrases say, folded, that a message with the code does not
// arrive: "no me llega el mail", "no me llegó el sms".
var codeMissingPhrases = []string{"no me llega", "no me llego", "no me llegan", "no me llegaron", "nunca me llego",
	"didn t get the", "didnt get the", "haven t received", "havent received", "never got the"}

// codeNotArriving reports whether text says the message with a code did not
// arrive ("no me llega el mail"): at the menu it got "Eso no lo sé
// responder", where "no me llega el código" gets the code's answer.
func codeNotArriving(text string) bool {
	return says(text, codeMissingPhrases) && saysWords(text, []string{"mail", "email", "correo", "sms", "mensaje", "codigo", "code"})
}

// wantKeyPhrases say, folded, that the person wants a key of their own
// made: "quiero sacar la clave", "quisiera hacer mi clave".
var wantKeyPhrases = wantKey()

func wantKey() []string {
	var out []string
	// Having to get one is wanting it: "mi nieto me dijo que tengo que
	// sacar una clave para la jubilacion" got «Eso no lo sé responder»
	// (none, 0.54; a people probe).
	// "q" is "que" on WhatsApp ("tengo q hacer la clave").
	// Told in the past or as advice too: "me dijeron que tenía que
	// sacar la clave" (none 0.93; a people probe).
	for _, want := range []string{"quiero", "quisiera", "necesito", "queria", "tengo que", "debo", "hay que", "tengo q",
		"hay q", "tenia que", "tenia q", "tendria que", "tendria q", "deberia"} {
		for _, do := range []string{"", "sacar ", "hacer ", "crear ", "tener ", "tramitar "} {
			for _, the := range []string{"la ", "mi ", "una "} {
				out = append(out, want+" "+do+the+"clave")
			}
		}
	}
	return append(out, "i want a password", "i want to create my password", "i need a password")
}

// wantsAKey reports whether text says the person wants a key made, the
// key not lost or forgotten ("quiero sacar la clave para cobrar la auh de
// mis hijos"): the classifier, reading the benefit, was sure of nothing
// in scope, and the person got "Eso no lo sé responder" (the regression
// probe's leftovers). Only read where the classifier found nothing;
// a death told with it is the deceased's answer (elsewhere.go): whose
// key is wanted is not clear.
func wantsAKey(text string) bool {
	return saysUndenied(text, wantKeyPhrases) && !says(text, lostKeyToo) && !tellsOfDeath(text)
}

// pronounVerbs are, folded, the key's flows said with the key as a
// pronoun ("recuperarla"), by intent.
var pronounVerbs = map[string][]string{
	"key.recover": {"recuperarla", "recuperarlo", "blanquearla", "resetearla", "restablecerla"},
	"key.change":  {"cambiarla", "cambiarlo", "modificarla"},
	"key.create":  {"crearla", "sacarla", "hacerla", "generarla", "tramitarla", "obtenerla"},
}

// pronounFirst are, folded, the key's flows said in the first person
// with the pronoun before the verb, after "mejor" ("no mejor la
// recupero"), by intent.
var pronounFirst = map[string][]string{
	"key.recover": {"la recupero", "la blanqueo", "la reseteo"},
	"key.change":  {"la cambio", "la modifico"},
	"key.create":  {"la saco", "la hago", "la genero", "la tramito"},
}

// pronounWants are, folded, the words of wanting before such a verb.
var pronounWants = []string{"quiero", "quisiera", "necesito", "mejor", "prefiero", "deseo", "voy a", "vamos a",
	"tengo que", "queria"}

// flowOfPronoun is the flow text asks for with the key as a pronoun
// after a word of wanting ("mejor quiero recuperarla", "prefiero
// cambiarla"), or "": the classifier, not knowing the pronoun, read
// "mejor quiero recuperarla" as none (0.75), and where the CUIL is asked
// it got "El CUIL tiene 11 números" (a words probe). Said done ("ya pude
// recuperarla") or denied, it asks nothing.
//
// Said of two flows ("quiero cambiarla o mejor recuperarla"), the one
// said last is asked for: it was the one the map's order met first, so
// the same words started either flow. The text is folded once: folding it
// for each of its 140 phrases took 6 % of serve's CPU under issue 14's
// flow (a CPU profile, 2026-12-01).
//
// A "no" ending the clause before ("mejor no, quiero recuperarla") or
// opening "no mejor" takes back what was under way: at the surnames it
// was read as denying the recovery, and the person told «Eso no parece
// un nombre» (a people probe).
func flowOfPronoun(text string) string {
	f := foldedClauses(text)
	flow, last := "", -1
	for in, verbs := range pronounVerbs {
		for _, v := range verbs {
			if !strings.Contains(f, v) {
				continue // most messages name no such verb
			}
			for _, w := range pronounWants {
				if i := undeniedAt(f, w+" "+v); i > last {
					flow, last = in, i
				}
			}
		}
	}
	for in, verbs := range pronounFirst {
		for _, v := range verbs {
			if i := strings.LastIndex(f, "mejor "+v); i > last {
				flow, last = in, i
			}
		}
	}
	return flow
}

// foldedClauses is text folded clause by clause, the clauses joined by
// " | ": a word ending one ("no, quiero…") is not read as the next one's.
func foldedClauses(text string) string {
	if !strings.ContainsAny(text, clauseMarks) {
		return foldedPhrase(text)
	}
	var cs []string
	for _, c := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(clauseMarks, r) }) {
		cs = append(cs, foldedPhrase(c))
	}
	return strings.Join(cs, " | ")
}

// clauseMarks end a clause.
const clauseMarks = ",.;:!?¿¡\n"

// flowVerbs are, folded, the verbs of each key's flow (as prefixes:
// "cambiar" is also "cambiarla").
var flowVerbs = map[string][]string{
	"key.create":  {"crear", "sacar", "hacer", "generar", "tramitar", "create", "make"},
	"key.recover": {"recuperar", "blanquear", "resetear", "restablecer", "recover", "reset"},
	"key.change":  {"cambiar", "modificar", "change"},
}

// notWanting are, folded, the words of not wanting before such a verb.
var notWanting = []string{"no quiero", "no necesito", "no voy a", "no deseo", "no hace falta", "don t want to",
	"dont want to", "do not want to", "don t need to", "dont need to"}

// wanting are, folded, the words of wanting before such a verb.
var wanting = []string{"quiero", "necesito", "quisiera", "want to", "need to"}

// deniesFlow reports whether text says the person does not want the flow
// of intent ("no quiero cambiar la clave"), and does not want it after
// all: the classifier, blind to the "no", read "no quiero cambiarla" as
// key.change (0.97) and started it (a words probe).
func deniesFlow(text, intent string) bool {
	// Clause by clause: "no, quiero cambiarla" wants it.
	f := " " + foldedClauses(text) + " "
	rest := f
	for _, v := range flowVerbs[intent] {
		for _, n := range notWanting {
			rest = strings.ReplaceAll(rest, " "+n+" "+v, " ")
		}
	}
	if rest == f {
		return false
	}
	for _, v := range flowVerbs[intent] {
		for _, w := range wanting {
			if strings.Contains(rest, " "+w+" "+v) {
				return false // "no quiero cambiar la clave, quiero cambiar el mail"
			}
		}
	}
	return true
}
