package dialog

import "strings"

// gaveKeyPhrases say, folded, that the person gave their key to someone:
// "se la di", "le pasé mi clave", "I gave it".
var gaveKeyPhrases = []string{"se la di", "se la pase", "se la dije", "le di la clave", "le di mi clave",
	"les di la clave", "les di mi clave", "le pase la clave", "le pase mi clave", "les pase la clave",
	"le dije la clave", "le dije mi clave", "i gave it", "i gave my password", "i gave my key", "i gave them my",
	"i told them my password"}

// gaveKeyAway reports whether text says the person gave their key away:
// the classifier read "me pidió la clave, se la di" as the security tips'
// "¿se la doy?" and told someone who already had not to (a words probe).
// A key someone else knows is recovered (key.compromised): the engine
// reads it so where the classifier answers the tips. The key is named in
// it: "se la di" alone may be anything. Said not done ("no se la di",
// "nunca le pasé mi clave") it was not given: the phrase was found inside
// the denial and someone who refused was told to recover the key (a
// regression probe).
func gaveKeyAway(text string) bool {
	return saysUndenied(text, gaveKeyPhrases) && saysWords(text, keyNames)
}

// denials are the words that, right before a phrase, say it did not
// happen.
var denials = set("no", "nunca", "jamas", "ni", "never", "not")

// saysUndenied is says where the word before the phrase is no denial.
func saysUndenied(text string, phrases []string) bool {
	f := strings.Join(foldedWords(text), " ")
	for _, p := range phrases {
		for from := 0; from < len(f); {
			i := strings.Index(f[from:], p)
			if i < 0 {
				break
			}
			before := strings.Fields(f[:from+i])
			if len(before) == 0 || !denials[before[len(before)-1]] {
				return true
			}
			from += i + len(p)
		}
	}
	return false
}

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
	return says(text, codeMissingPhrases) && saysWords(text, []string{"mail", "email", "correo", "sms", "mensaje", "codigo", "code", "e"})
}

// wantKeyPhrases say, folded, that the person wants a key of their own
// made: "quiero sacar la clave", "quisiera hacer mi clave".
var wantKeyPhrases = wantKey()

func wantKey() []string {
	var out []string
	for _, want := range []string{"quiero", "quisiera", "necesito", "queria"} {
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
