package dialog

import (
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// readAnswer reads the answer to an identity question (onQuestion,
// identity.go), first a date typed that is none of the options: it got
// "Elegí una de las opciones" where the same date in words got where the
// answer is found (a probe of people's words). It gets the same, and
// counts nothing.
func (t *turn) readAnswer(text string) error {
	st := t.st
	if st.QIndex < len(st.Questions) && !hasLetters(text) {
		q := st.Questions[st.QIndex]
		if _, err := registry.ParseDate(text, t.now); err == nil && t.e.matchAnswer(text, t.questionOptions(q)) < 0 {
			return t.questionOr(text, nil, i18n.Key("question.hint."+string(q.Kind)))
		}
	}
	return t.onQuestion(text)
}
