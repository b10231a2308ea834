package dialog

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
// it: "se la di" alone may be anything.
func gaveKeyAway(text string) bool {
	return says(text, gaveKeyPhrases) && saysWords(text, keyNames)
}
