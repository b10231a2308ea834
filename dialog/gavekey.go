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
	f := foldedPhrase(text)
	for _, p := range phrases {
		if undeniedAt(f, p) >= 0 {
			return true
		}
	}
	return false
}

// undeniedAt is where in f (folded words joined by spaces) phrase p last
// stands with no denial for its word before, or -1. A phrase may start
// inside a word, as says reads them.
func undeniedAt(f, p string) int {
	at := -1
	for from := 0; from < len(f); {
		i := strings.Index(f[from:], p)
		if i < 0 {
			break
		}
		before := strings.TrimRight(f[:from+i], " ")
		if !denials[before[strings.LastIndexByte(before, ' ')+1:]] {
			at = from + i
		}
		from += i + len(p)
	}
	return at
}

// scamTold are, folded, the words of a scam suffered ("me estafaron");
// asking whether something is one ("¿esto es una estafa?") is the bot's
// being official, and "quiero denunciar una estafa" asks where.
var scamTold = []string{"me estafaron", "me estafo", "nos estafaron", "fui estafado", "fui estafada",
	"me hicieron el cuento", "denunciar una estafa", "i was scammed", "i got scammed", "got scammed", "scammed me"}

// toldScam reports whether text tells of a scam suffered or to report.
func toldScam(text string) bool { return saysUndenied(text, scamTold) }
