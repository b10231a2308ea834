package dialog

import (
	"slices"
	"strings"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// What people write where the CUIL is asked besides a CUIL: an
// acknowledgement of the checklist before it, their other data. The CUIL
// itself, its mistakes and the questions asked there are onCUIL's
// (identity.go).

// readCUIL reads the answer at the CUIL step: what it says besides a
// CUIL first, then the CUIL (onCUIL).
func (t *turn) readCUIL(text string) error {
	if saysReady(text) {
		// "sí, lo tengo", "dale", 👍 after the checklist: the CUIL asked
		// again, kindly (it got "El CUIL tiene 11 números", an answer of
		// the FAQ or "¡Hola de nuevo!"; a probe of people's words).
		t.asking(i18n.M("cuil.ack"))
		return nil
	}
	if r := t.reading(); r.twoCUILs {
		// "27-35218904-4 y 20-12604337-7": one was taken unsaid.
		t.say("cuil.which")
		t.prompt()
		return nil
	}
	if r := t.reading(); !r.question {
		if r.cuil != "" && t.companyCUIL(r.cuil) {
			return nil
		}
		if r.cuil != "" && t.st.Carry != "" && r.dni == "" && r.date == "" {
			return t.cuilWithCarry(r.cuil)
		}
		if r.cuil == "" && r.cuilErr == nil && t.noteData(r) {
			return nil
		}
	}
	return t.onCUIL(text)
}

// backCUIL is "volver" where the CUIL is asked: in the troubleshooting
// check, its topics (it went to the main menu); elsewhere back to where
// the person was, or the menu.
func (t *turn) backCUIL() {
	if t.st.Flow == FlowTrouble {
		t.st.reset()
		t.troubleMenu()
		return
	}
	t.leaveDetour()
}

// noteData keeps the data a message without a CUIL gives where the CUIL
// is asked ("soy … dni 35218904 nací el 21/7/90", "nací el 21/7/90"): they
// got "Eso parece un número de DNI" or "El CUIL tiene 11 números" and were
// lost (a probe of people's words). What the flow asks is noted, said so,
// and the CUIL asked; it reports whether it did. A bare DNI alone is
// still told from the CUIL (onCUIL): people type one for the other. One
// said as the DNI ("mi dni es 35.218.904") is noted, and what the CUIL is
// told: it was asked again once the CUIL came (a people probe).
func (t *turn) noteData(r *reading) bool {
	dniOnly := r.dni != "" && r.date == ""
	if dniOnly && !r.dniSaid {
		return false
	}
	carry, noted := carryOf(r, t.askedData())
	if len(noted) == 0 {
		return false
	}
	t.st.Carry = carry
	t.say("data.taken", "what", t.fieldList(noted))
	if dniOnly {
		t.say("faq.answer.cuil.find")
	}
	t.prompt()
	return true
}

// cuilWithCarry goes on with the CUIL given after data noted without one
// (State.Carry): they are the message's, taken by the steps that ask
// them, unless the DNI noted is not the CUIL's: then the CUIL is someone
// else's (a relative's) or mistyped, and nothing noted is judged against
// it (a count on another's CUIL).
func (t *turn) cuilWithCarry(cuil registry.CUIL) error {
	carry := readText(t.st.Carry, t.now)
	t.st.Carry = ""
	if carry.dni == "" || dniOfCUIL(carry.dni, cuil) {
		t.read, t.carriedDone = carry, false
		// Noted, they were said so (data.taken) when typed, unless they
		// came with a CUIL (offerSuggestions keeps them unsaid): said
		// again once the CUIL came, «Anoté tus nombres y tu apellido»
		// came twice (a people probe).
		t.carryTold = carry.cuil == ""
	} else {
		// Said noted, dropped unsaid and asked again (a regression
		// probe): why is said.
		t.say("carry.dropped")
	}
	return t.gotCUIL(cuil)
}

// companyCUIL refuses a company's CUIT typed as the CUIL (it was taken,
// its data judged and counted: a probe of people's words): a person's
// CUIL starts with 20, 23, 24 or 27, and it is asked again. It reports
// whether it did.
func (t *turn) companyCUIL(cuil registry.CUIL) bool {
	if !cuil.Company() {
		return false
	}
	t.say("cuil.company")
	t.enter(StepCUIL)
	return true
}

// dniOfCUIL reports whether dni is the CUIL's middle digits.
func dniOfCUIL(dni string, cuil registry.CUIL) bool {
	return len(cuil) == 11 && strings.TrimLeft(dni, "0") == strings.TrimLeft(string(cuil[2:10]), "0")
}

// readyWords are the words of an acknowledgement, folded: "sí, lo tengo",
// "ok ya lo tengo a mano", "de acuerdo", "yes I have it".
var readyWords = set("si", "ok", "okey", "oki", "dale", "bueno", "listo", "ya", "lo", "la", "los", "las", "tengo",
	"tenemos", "a", "mano", "aca", "ahi", "perfecto", "genial", "entendido", "entendi", "de", "acuerdo", "claro",
	"joya", "barbaro", "va", "vamos", "todo", "y", "bien", "gracias", "yes", "yeah", "i", "have", "it", "got",
	"sure", "ready", "all", "set", "right", "thanks", "okay", "great", "perfect")

// saysReady reports whether text only acknowledges what the bot said
// (the checklist: "sí, lo tengo"), broader than the menu's acknowledges:
// made of readyWords (a yes typed long, "siii", "okk", counts), or of marks
// and emoji without a question mark ("👍").
func saysReady(text string) bool {
	if strings.ContainsFunc(text, isDigit) {
		return false
	}
	ws := foldedWords(text)
	if len(ws) == 0 {
		return !strings.ContainsAny(text, "?¿")
	}
	return len(ws) <= 8 && !slices.ContainsFunc(ws, func(w string) bool {
		return !readyWords[w] && !readyWords[squeezeYesNo(w)] && !readyWords[squeeze(w)]
	})
}
