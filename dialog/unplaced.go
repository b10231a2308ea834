package dialog

// What people write that no step is waiting for yet, or that no FAQ
// answers: their data before a flow is chosen, an address or a number
// for their contacts, and "sigo sin poder" after the bot's advice. The
// free-text reader (understand, in faq.go) tries these where the
// classifier does not place the message.

import (
	"slices"
	"strings"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// contactShaped reports whether text holds an e-mail address, even a
// mistyped one, or a whole phone number (area code and number: never a
// DNI's 7 or 8 digits, which the reading may find in it).
func contactShaped(text string, r *reading) bool {
	if strings.Contains(text, "@") {
		for w := range strings.FieldsSeq(text) {
			if at := strings.IndexByte(w, '@'); at > 0 && at < len(w)-1 {
				return true
			}
		}
	}
	_, phone := registry.FindPhone(text)
	// "mi cuil es 2735218904", a digit short, is a CUIL mistyped, not a
	// phone (found by a probe: it was offered the contacts' change, which
	// asks for the key the person had just said they forgot).
	return phone && r.cuil == "" && !saysCUIL(text)
}

// saysCUIL reports whether text names a CUIL (or a CUIT, as people call it).
func saysCUIL(text string) bool {
	return slices.ContainsFunc(foldedWords(text), func(w string) bool { return w == "cuil" || w == "cuit" })
}

// contactTooEarly answers an e-mail address or a mobile number written at
// the menu, or where the bot asks what a held CUIL is for, with the
// contacts' offer: they are changed there, after the CUIL and the key.
// It reports whether it did.
func (t *turn) contactTooEarly(text string, r *reading) bool {
	if t.st.Step != StepMenu && t.st.Step != StepCUILAction || !contactShaped(text, r) {
		return false
	}
	t.st.Unknown = 0
	cuil := registry.CUIL("")
	if t.st.Step == StepCUILAction {
		cuil = t.st.CUIL
	}
	t.offerFlow(FlowContact, cuil, i18n.M("contact.offer_typed"))
	return true
}

// stuckPhrases say, folded, that what the bot advised did not work: "sigo
// sin poder", "no me sirvió", "ya probé todo".
var stuckPhrases = []string{"sigo sin", "sigue sin", "sigo igual", "sigue igual", "no me sirv", "no sirv",
	"no funciono", "no anduvo", "ya probe", "ya hice eso", "ya hice todo", "nada de eso", "no pude", "igual no",
	"still can t", "still cannot", "still not", "still doesn t", "didn t work", "doesn t work", "not working",
	"didn t help", "did not work", "does not work"}

// stillStuck reports whether text, a short message the classifier found
// nothing in, says the person is still stuck.
func stillStuck(text string) bool {
	ws := foldedWords(text)
	if len(ws) == 0 || len(ws) > 10 {
		return false
	}
	s := " " + strings.Join(ws, " ") + " "
	return slices.ContainsFunc(stuckPhrases, func(p string) bool { return strings.Contains(s, " "+p) })
}

// stuck answers someone still stuck after the bot's advice: a person of
// the help desk where there is one, where else to go where there is not.
func (t *turn) stuck() error {
	t.st.Unknown = 0
	t.event(Event{Name: "still_stuck"})
	if t.e.hasDesk {
		t.offerHandoff("stuck", "offer.handoff_stuck")
		return nil
	}
	t.say("stuck.elsewhere")
	t.prompt()
	return nil
}

// dataTooEarly answers personal data written at the menu or where the bot
// asks what a CUIL is for, before any flow is chosen: the steps that take
// them come after the choice, which decides what is asked. It reports
// whether it did; names counts names among the data (reading.personal).
func (t *turn) dataTooEarly(r *reading, names bool) bool {
	if !r.personal(names) || t.st.Step != StepMenu && t.st.Step != StepCUILAction {
		return false
	}
	t.st.Unknown = 0
	carry, noted := carryOf(r, []Step{StepDNI, StepBirthDate, StepFirstNames})
	if t.st.Step == StepCUILAction && r.date != "" && !r.dateSaid && dateAlone(r) {
		// A date alone, in its own message, where the bot asks what the
		// CUIL is for: the birth date, the one date people know by heart
		// (it was thanked and asked again, while a DNI alone was noted:
		// a people probe). One typed with the CUIL, copied from the card,
		// may be the DNI's issue date and is not carried (carryOf).
		carry, noted = strings.TrimSpace(carry+" nací el "+r.date), append(noted, StepBirthDate)
	}
	if t.st.Step == StepCUILAction && len(noted) == 0 && r.cuil == "" {
		// Names alone where the bot asks what the CUIL is for ("Lucia
		// Soledad Fernandez") were thanked and asked again once the flow
		// was chosen, while a date or a DNI alone there is kept (a
		// people probe).
		carry, noted = namesAloneCarry(r)
	}
	switch {
	case t.st.Step == StepCUILAction && len(noted) > 0 && r.cuil == "":
		// "María Belén Gómez Ruiz, nací el 14/03/1985" where the bot
		// asks what the CUIL is for: kept with what came with the CUIL
		// (said last, read last), for the flow chosen (a data probe:
		// they were asked again).
		t.st.Carry = strings.TrimSpace(t.st.Carry + " " + carry)
		t.say("data.taken", "what", t.fieldList(noted))
		t.say("data.choose_first_cuil_kept")
	case t.st.Step == StepCUILAction:
		t.say("data.choose_first_cuil")
	case len(noted) > 0 && r.cuil == "" && (r.date != "" || len(r.names) > 0):
		// "soy … dni … nací el …" then "1": kept for the flow chosen,
		// which takes them once the CUIL comes, if it is theirs (see
		// cuilWithCarry).
		t.st.Carry = carry
		t.say("data.taken", "what", t.fieldList(noted))
		t.say("data.choose_first_kept")
	default:
		t.say("data.choose_first")
	}
	t.prompt()
	return true
}

// dateAlone reports whether a date is all the reading found: no other
// datum, no name, no sentence around it.
func dateAlone(r *reading) bool {
	return r.dni == "" && r.tramite == "" && r.cuil == "" && !r.sentence && len(r.names) == 0
}

// namesAloneCarry is the carry of a message that is names and nothing
// else, of two words or more: known given names alone are the first names
// (read as a full name, "María Belén" would be judged as a name and a
// surname, and the mismatch counted); otherwise the full name, split when
// judged as a full name typed with other data is. One word may be
// anything, and a sentence gives no names.
func namesAloneCarry(r *reading) (string, []Step) {
	if r.sentence || r.data() > 0 || len(r.names) != 1 || r.names[0].words < 2 {
		return "", nil
	}
	n := r.names[0]
	switch {
	case n.field == nameFirst || n.field == nameAny && givenOnly(n.text):
		return "nombre: " + n.text + ",", []Step{StepFirstNames}
	case n.field == nameAny || n.field == nameFull:
		return "nombre completo: " + n.text + ",", []Step{StepFirstNames, StepLastNames}
	}
	return "", nil
}
