package dialog

// byeWords say goodbye, folded and with letters not repeated ("chauuu").
var byeWords = set("chau", "chao", "chaito", "adios", "bye", "goodbye", "byebye")

// byePhrases say goodbye in more words, folded.
var byePhrases = []string{"nos vemos", "hasta luego", "hasta pronto", "hasta la proxima", "see you", "me voy"}

// saysBye reports whether text says goodbye, where the classifier read a
// thanks or a goodbye alike (thanks_bye).
func saysBye(text string) bool {
	for _, w := range foldedWords(text) {
		if byeWords[squeeze(w)] {
			return true
		}
	}
	return saysWords(text, byePhrases)
}

// thanksOrBye answers thanks_bye: "chau" got "¡De nada!…", and in the
// middle of a flow that and the step's question again, as if nobody were
// leaving (a words probe). A goodbye at rest is one; in a flow it is told
// that the place keeps a while, as "después" at the names is
// (pause.later), and the step is not asked again.
func (t *turn) thanksOrBye() {
	switch {
	case !saysBye(t.in.Text):
		t.say("faq.answer.thanks_bye")
		if !t.idle() {
			t.prompt()
		}
	case t.idle():
		t.say("faq.bye")
	default:
		t.say("bye.later")
	}
}
