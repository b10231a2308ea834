package dialog

import (
	"slices"
	"strings"
	"unicode"

	"github.com/clavebot/clavebot/registry"
)

// keyAlone answers a key typed alone at a step that asks for none: the
// CUIL, a personal datum, an identity question, a yes/no, the first
// message. Read by the step, "Recupero2030e" was the request to recover
// (it started recovering, or offered to leave the flow for it) and at the
// DNI or the birth date the question came again with no word of why (a
// people probe). The transcript has masked it already; the channel
// deletes it where it can (the turn is marked secret). It reports whether
// it answered.
func (t *turn) keyAlone(text string) bool {
	if !t.keyAloneAt(text) {
		return false
	}
	t.keyTyped = true
	if !t.st.Started || t.st.Step == StepMenu {
		// The menu says where the key is asked; first, after the greeting.
		if !t.st.Started {
			t.st.Started = true
			t.event(Event{Name: "welcome"})
			t.say("welcome")
			t.moveTo(StepMenu)
		}
		t.say("menu.key_typed")
		t.askMenu()
		return true
	}
	t.say("input.key_typed")
	t.prompt()
	return true
}

// keyAtDesk is keyAlone at the desk (in the line, or with an agent),
// where everything is relayed: a key typed alone reached the desk masked,
// but the turn was not secret, so the channel left it in the chat, and
// the person was not told, where "mi clave es …" was both (a regression
// probe). It is told and marked secret as that is; relayed (masked) as
// before, so the agent sees that something was typed.
func (t *turn) keyAtDesk(text string) {
	if t.keyAloneAt(text) {
		t.keyTyped = true
		t.say("input.key_typed")
	}
}

// keyAloneAt reports whether text is one word shaped like a key (as the
// transcript masks it) that carries no datum the step could take: a CUIL,
// a DNI, a date or a número de trámite glued to its label ("DNI35218904")
// is that datum. The steps that read addresses, phones and codes read
// their own words; the menu has its own answer (onMenu).
func (t *turn) keyAloneAt(text string) bool {
	switch t.st.Step {
	case StepEmail, StepPhone, StepCode, StepFactor:
		return false
	}
	if t.st.Started && t.st.Step == StepMenu {
		return false
	}
	if back := t.st.Resume; t.st.Step == StepOffer && back != nil && t.defOf(back.Step).secret {
		// An offer made at a key step (the lockout's) says it its way
		// (offer.key_typed, onOffer).
		return false
	}
	w := strings.TrimSpace(text)
	if strings.ContainsFunc(w, unicode.IsSpace) || !keyShapedFrom(emphasis.ReplaceAllString(w, ""), t.keyLens()) {
		return false
	}
	r := t.reading()
	return r.cuil == "" && r.cuilErr == nil && r.dni == "" && r.date == "" && r.tramite == "" && !t.optionTyped(w)
}

// optionTyped reports whether w is an option of the identity question
// asked, typed: an employer of one word with a digit ("Telecom2000") is
// shaped like a key, and is the answer.
func (t *turn) optionTyped(w string) bool {
	st := t.st
	if st.Step != StepQuestion || st.QIndex >= len(st.Questions) {
		return false
	}
	return slices.ContainsFunc(st.Questions[st.QIndex].Options, func(o registry.Option) bool {
		return o.Text != "" && fold(o.Text) == fold(w)
	})
}
