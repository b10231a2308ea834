package dialog

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
