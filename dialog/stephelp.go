package dialog

import "github.com/clavebot/clavebot/i18n"

// stepHelp are what "ayuda" says of each step before the words always
// available: what is asked there and how to type it. It said the same
// list of words at every step, which tells a person stuck at the birth
// date nothing of how to write it (a people probe; CONVERSATION's
// "ayuda: what they can do here"). A step not listed says the list only.
var stepHelp = map[Step]i18n.Key{
	StepMenu:        "help.menu",
	StepCUILAction:  "help.choice",
	StepTroubleMenu: "help.choice",
	StepOffer:       "help.yes_no",
	StepCUIL:        "help.cuil",
	StepFirstNames:  "help.first_names",
	StepLastNames:   "help.last_names",
	StepBirthDate:   "help.birth_date",
	StepDNI:         "help.dni",
	StepTramite:     "help.dni_tramite",
	StepCurrentKey:  "help.current_key",
	StepConfirmKey:  "help.confirm_key",
	StepFactor:      "help.code",
	StepCode:        "help.code",
	StepEmail:       "help.email",
	StepPhone:       "help.phone",
}

// help answers "ayuda": what the step asks and how, then the words
// always available, then the step's question again.
func (t *turn) help() {
	switch st := t.st; {
	case st.Step == StepQuestion && st.QIndex < len(st.Questions):
		t.say(i18n.Key("question.hint." + string(st.Questions[st.QIndex].Kind)))
	case st.Step == StepNewKey:
		// Not key.rules, which opens the step («Ahora elegí tu clave»):
		// said again as help it read as the bot going on (a people probe).
		p := t.e.reg.Policy()
		t.say("help.new_key", "min", p.KeyMinLen, "max", p.KeyMaxLen)
	default:
		if k, ok := stepHelp[st.Step]; ok {
			t.say(k)
		}
	}
	t.say("help")
	t.prompt()
}
