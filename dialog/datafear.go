package dialog

import "slices"

// botOfficial is the FAQ's intent of whether this chat is ANSES's own and
// safe.
const botOfficial = "bot.official"

// dataFearPhrases fear, as whole words folded, for the data given here:
// that they are stolen, unprotected, or a scam to come. A scam suffered
// ("me estafaron") is another answer (toldScam).
var dataFearPhrases = []string{"van a robar", "me roben", "roben los datos", "roben mis datos", "robar mis datos",
	"robar los datos", "datos protegidos", "datos estan protegidos", "datos estan seguros", "datos seguros",
	"van a estafar", "me estafen", "steal my data", "my data safe", "my data protected", "data be stolen"}

// fearsForData reports whether text fears for the data given in this
// chat: "¿me van a robar los datos?" and "¿mis datos están protegidos?"
// got what to do when the data do not match the DNI (the classifier
// reading "datos", error.data_mismatch 0.89), "¿no me van a estafar?"
// «Eso no lo sé responder» (a people probe). Whether the chat is safe is
// whose it is and what it never asks.
func fearsForData(text string) bool {
	return saysWords(text, dataFearPhrases) && !toldScam(text)
}

// safeFillers are the words around "es seguro" that name nothing else
// it could be about than this chat ("y es seguro esto che?", "es seguro
// hacerlo por acá?"), folded.
var safeFillers = set("y", "pero", "che", "esto", "eso", "aca", "aqui", "este", "chat", "bot", "el", "tramite",
	"hacerlo", "hacer", "por", "realmente", "posta", "de", "verdad", "todo")

// asksIfSafe reports whether text asks whether it is safe, naming nothing
// else: "es seguro?" got the tips to keep a key (key.security_tips 0.76)
// where "es seguro esto?" got whose chat this is (bot.official 0.96; a
// people probe). "¿Es segura?" is the key's, and keeps the tips.
func asksIfSafe(text string) bool {
	var rest []string
	for _, w := range foldedWords(text) {
		if !safeFillers[w] {
			rest = append(rest, w)
		}
	}
	return slices.Equal(rest, []string{"es", "seguro"})
}
