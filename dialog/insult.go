package dialog

// insultWords are, folded, whole words and phrases of an insult or of
// anger at the bot. "Concha" alone is a name (Concepción): only its
// phrases are here.
var insultWords = []string{"mierda", "boludo", "boluda", "pelotudo", "pelotuda", "forro", "forra", "puto", "puta",
	"carajo", "inutil", "basura", "idiota", "estupido", "estupida", "tarado", "tarada", "imbecil", "hdp", "lpm",
	"garca", "la concha de", "concha de tu", "concha de su", "stupid", "useless", "idiot", "fuck", "shit"}

// insults reports whether text insults the bot or swears at it: "la
// concha de tu madre" where the names are asked got «Parece que empezaste
// por el apellido», "sos un boludo" where the CUIL is asked «El CUIL
// tiene 11 números», "sos un pelotudo" at the menu «Eso no lo sé
// responder» (a people probe). A person who insults is frustrated: they
// are told calmly that the bot goes step by step with them (helpLost),
// and nothing they said is taken as a datum.
func insults(text string) bool {
	return saysWords(text, insultWords)
}
