package dialog

import (
	"regexp"
	"slices"
	"strings"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// menuOptions are the main menu (CONVERSATION.md), in order.
var menuOptions = []struct {
	label i18n.Key
	flow  Flow
}{
	{"menu.create", FlowCreate},
	{"menu.recover", FlowRecover},
	{"menu.change", FlowChange},
	{"menu.trouble", FlowTrouble},
	{"menu.faq", FlowFAQ},
	{"menu.handoff", FlowHandoff},
	{"menu.contact", FlowContact},
}

func menuLabels() []i18n.Message {
	out := make([]i18n.Message, len(menuOptions))
	for i, o := range menuOptions {
		out[i] = i18n.M(o.label)
	}
	return out
}

// menu resets the flow and shows the main menu.
func (t *turn) menu() {
	t.st.reset()
	t.enter(StepMenu)
}

func (t *turn) askMenu() { t.asking(i18n.M("menu.ask"), menuLabels()...) }

// menuAgain offers the menu after a finished flow.
func (t *turn) menuAgain() {
	t.st.reset()
	t.st.Again = true
	t.moveTo(StepMenu)
	t.asking(i18n.M("menu.again"), menuLabels()...)
}

func (t *turn) onMenu(text string) error {
	if i := t.e.matchOption(text, menuLabels()); i >= 0 {
		return t.start(menuOptions[i].flow, "")
	}
	// "¿Te ayudo con algo más?": a bare no is a goodbye, a bare yes asks
	// for the options. Only bare ones: "no puedo entrar" is a problem.
	switch bareYesOrNo(text) {
	case 0:
		if !t.st.Again && !saysWords(text, []string{"gracias", "thanks"}) {
			// A bare "no" to «¿Qué necesitás?», right after the greeting,
			// got «¡De nada!», thanks for nothing done (a people probe):
			// nothing is needed now. After a flow («¿Te ayudo con algo
			// más?») it is thanks for the help.
			t.say("menu.nothing")
			return nil
		}
		return t.intent("thanks_bye")
	case 1:
		t.askMenu()
		return nil
	}
	if acknowledges(text) {
		// "ok", "👍" after a key was created got "Eso no lo sé
		// responder" with the menu on screen (a probe): thanks. Right
		// after the greeting, "bueno" is "go on": the options again (a
		// regression probe: it got "¡De nada!").
		if !t.st.Again {
			t.askMenu()
			return nil
		}
		return t.intent("thanks_bye")
	}
	// "8" at seven options: a number out of range, not a question.
	if n, ok := typedNumber(text, len(menuOptions)); ok && len(digitsOf(text)) <= 2 && (n < 1 || n > len(menuOptions)) {
		t.say("choice.invalid", "n", len(menuOptions))
		t.askMenu()
		return nil
	}
	// A key typed alone at the menu (the transcript masks it): say not to
	// type it here, and where it goes. The marks and ones it ends with
	// are emphasis ("gracias!!1"), left out.
	if w := strings.TrimSpace(text); !strings.ContainsAny(w, " \n") && keyShaped(emphasis.ReplaceAllString(w, "")) && t.reading().cuil == "" {
		t.say("menu.key_typed")
		t.askMenu()
		return nil
	}
	if ok, err := t.contactTyped(text); ok || err != nil {
		return err
	}
	return t.understand(text)
}

// emphasis is the run of marks a message ends with, ones among them
// ("gracias!!1"): a key typed ends with none.
var emphasis = regexp.MustCompile(`[!?.][!?.1]*$`)

// nothingMore are the words of a bare "no" at the menu besides noWords
// ("nada más", "no, nada, gracias").
var nothingMore = set("nada", "mas", "gracias", "eso", "es", "todo", "por", "ahora")

// menuYes are the words of a bare yes at the menu: not "ok", "listo" or
// "perfecto", which after a flow are thanks rather than a request.
var menuYes = set("si", "s", "dale", "claro", "yes", "obvio", "porfa")

// bareYesOrNo reads a message made only of a yes (1) or only of a no (0),
// with courtesy words; -1 for anything else.
func bareYesOrNo(text string) int {
	ws := foldedWords(text)
	if len(ws) == 0 {
		return -1
	}
	switch {
	case !slices.ContainsFunc(ws, func(w string) bool { return !noWords[w] && !nothingMore[w] }) &&
		(noWords[ws[0]] || ws[0] == "nada"):
		return 0
	case !slices.ContainsFunc(ws, func(w string) bool { return !menuYes[w] && !pleaseWords[w] }) &&
		slices.ContainsFunc(ws, func(w string) bool { return menuYes[w] }):
		return 1
	}
	return -1
}

// pleaseWords are the courtesy words a yes comes with: "sí, por favor".
var pleaseWords = set("por", "favor", "porfa", "porfis", "please")

// yesPlease reports whether text is only a yes, with courtesy words or
// none: "sí, por favor", "si porfa", "bueno", "dale". The classifier reads
// "por favor" as asking for a person (agent.handoff, 0.59) and "bueno" as
// a greeting.
func yesPlease(text string) bool {
	ws := foldedWords(text)
	yes := false
	for _, w := range ws {
		switch w = squeezeYesNo(w); {
		case yesWords[w]:
			yes = true
		case !pleaseWords[w]:
			return false
		}
	}
	return yes
}

// acks are the words of an acknowledgement, folded, letters not repeated:
// "ok", "listo", "perfecto", "got it".
var acks = set("ok", "okey", "oki", "okay", "oka", "listo", "lista", "perfecto", "perfecta", "genial", "joya",
	"barbaro", "buenisimo", "excelente", "entendido", "bueno", "bien", "great", "perfect", "cool", "fine", "alright",
	"got", "it", "done")

// ackMarks are the emoji that acknowledge.
const ackMarks = "👍👌🙏😊🙂👏✅💪🤝❤"

// acknowledges reports whether text only acknowledges: acks, or emoji and
// marks with one of ackMarks among them.
func acknowledges(text string) bool {
	ws := foldedWords(text)
	if len(ws) == 0 {
		return strings.ContainsAny(text, ackMarks) && !strings.ContainsFunc(text, isDigit)
	}
	return !slices.ContainsFunc(ws, func(w string) bool { return !acks[squeeze(w)] })
}

// listedFullName is the full name a list of data gives (one run of two
// names or more, unlabelled or said to be the full name, with another
// datum, in no sentence), or "".
func listedFullName(r *reading) string {
	if r.sentence || r.data() == 0 || len(r.names) != 1 {
		return ""
	}
	if n := r.names[0]; n.words >= 2 && (n.field == nameAny || n.field == nameFull) {
		return n.text
	}
	return ""
}

// cuilActions are what a CUIL typed out of the blue may be for.
var cuilActions = []struct {
	label i18n.Key
	flow  Flow // FlowTrouble: check it in the registry
}{
	{"menu.create", FlowCreate},
	{"menu.recover", FlowRecover},
	{"menu.change", FlowChange},
	{"option.check_cuil", FlowTrouble},
}

func cuilActionLabels() []i18n.Message {
	out := make([]i18n.Message, len(cuilActions))
	for i, a := range cuilActions {
		out[i] = i18n.M(a.label)
	}
	return out
}

// cuilAction asks what a CUIL typed at the menu (or with a question the
// bot could not place) is for, keeping it so it is not asked again.
func (t *turn) cuilAction(cuil registry.CUIL) error {
	r := t.reading()
	t.st.reset()
	t.st.CUIL = cuil
	carry, noted := carryOf(r, nil)
	if names, _ := requestNameCarry(requestNames(r, true, false)); names != "" && !slices.Contains(noted, StepFirstNames) {
		// "hola soy Ramón Quiroga Sánchez, mi cuil es …": the names the
		// person says are theirs come with the CUIL, as with a request;
		// they were asked again once the flow was chosen (a people
		// probe). Said first, read first.
		carry = strings.TrimSpace(names + " " + carry)
	}
	t.st.Carry = carry
	t.enter(StepCUILAction)
	return nil
}

// carryOf is what of r a flow chosen later takes (State.Carry), as text
// readText reads again, and the steps it is for; wanted, when not nil,
// keeps only those. Only what reads surely as the datum: a DNI said to
// be one or in a list of data, a date said to be the birth date. A date
// in a list may be the DNI's issue date, copied from the card, and
// counted as a wrong birth date before any was asked (a regression
// probe).
func carryOf(r *reading, wanted []Step) (string, []Step) {
	var carry []string
	var steps []Step
	want := func(s Step) bool { return wanted == nil || slices.Contains(wanted, s) }
	if name := listedFullName(r); name != "" && want(StepFirstNames) {
		// Labelled, so that read again it is the full name whatever
		// the step ("María Belén Gómez Ruiz 20-…" at the menu was asked
		// again once creating was chosen; a data probe).
		carry, steps = append(carry, "nombre completo: "+name+","), append(steps, StepFirstNames, StepLastNames)
	}
	if r.dni != "" && (r.dniSaid || !r.sentence) && want(StepDNI) {
		carry, steps = append(carry, r.dni), append(steps, StepDNI)
	}
	if r.date != "" && r.dateSaid && want(StepBirthDate) {
		carry, steps = append(carry, "nací el "+r.date), append(steps, StepBirthDate)
	}
	return strings.Join(carry, " "), steps
}

// carryOver makes the data typed with the CUIL, before the flow was
// chosen, the message's, for the flow starting now to take them as it
// takes data typed with a request ("27352189044 35218904 21/07/1990",
// then "2", asked the DNI and the date again; found by a probe).
//
// Not when the message brings data of its own: another CUIL (a relative's
// recovery, checked against the data of the person who typed them) or a
// correction; what is said last wins (a regression probe).
func (t *turn) carryOver() {
	if t.st.Step != StepCUILAction || t.st.Carry == "" {
		return
	}
	if r := t.reading(); r.cuil != "" && r.cuil != t.st.CUIL || r.dni != "" || r.date != "" {
		return
	}
	t.read, t.carriedDone = readText(t.st.Carry, t.now), false
}

func (t *turn) askCUILAction() { t.asking(i18n.M("cuil.what"), cuilActionLabels()...) }

func (t *turn) onCUILAction(text string) error {
	i := t.e.matchOption(text, cuilActionLabels())
	if i < 0 && (yesPlease(text) || bareYesOrNo(text) >= 0) {
		// "sí, por favor" to «¿Querés crear, recuperar o cambiar…?» put
		// the person in the desk's line, "sí" got "Eso no lo sé
		// responder" (a data probe): which one is asked.
		t.say("choice.invalid", "n", len(cuilActions))
		t.prompt()
		return nil
	}
	if i < 0 {
		return t.understand(text)
	}
	cuil := t.st.CUIL
	// The data noted with the CUIL go to the check too, which asks the
	// DNI and the birth date: "Anoté tu DNI", then «Revisar ese CUIL»,
	// asked the DNI again (a people probe).
	t.carryOver()
	if cuilActions[i].flow == FlowTrouble {
		return t.check("", cuil)
	}
	return t.start(cuilActions[i].flow, cuil)
}

// command runs an always-available command.
func (t *turn) command(cmd string) error {
	switch cmd {
	case cmdMenu:
		if left, err := t.leaveQuestions(); left || err != nil {
			return err
		}
		if t.def().waits {
			// Leaving the desk is said, as "cancelar" says it (found by a
			// probe: "menú" left the line, or the agent, unsaid).
			t.cancel()
			return nil
		}
		t.menu()
	case cmdCancel:
		if t.declineHandoff() {
			return nil
		}
		if left, err := t.leaveQuestions(); left || err != nil {
			return err
		}
		if t.def().waits && t.st.Before != nil {
			return t.leaveLine()
		}
		t.cancel()
	case cmdRestart:
		if t.st.Step == StepNewKey || t.st.Step == StepConfirmKey {
			// "Empecemos de nuevo" is the key's, not the flow's: the
			// identity proved stays.
			t.st.KeySeal = ""
			t.say("key.choose_again")
			t.enter(StepNewKey)
			return nil
		}
		return t.command(cmdMenu)
	case cmdBack:
		t.back()
	case cmdHelp:
		t.help()
	case cmdHandoff:
		if t.def().waits {
			t.prompt()
			return nil
		}
		if t.e.hasDesk && t.st.Validated && t.st.Flow != FlowNone && !t.idle() {
			// Proved who they are, one step from the key: the hand-over
			// ends the flow, and coming back means proving it again. Said
			// first (found by hand: the validation was lost unawares).
			t.offerHandoff("requested", "offer.handoff_validated")
			return nil
		}
		return t.handoff("requested")
	}
	return nil
}

func (t *turn) cancel() {
	switch {
	case t.def().waits:
		if t.leaveQueue() {
			// With an agent, not in a line (found by a probe).
			t.say("handoff.left_agent")
		} else {
			t.say("handoff.left")
		}
	case t.st.Flow != FlowNone || t.st.Step != StepMenu && t.st.Step != "":
		t.event(Event{Name: "cancel", Flow: t.st.Flow, Step: t.st.Step})
		t.say("cancel.done")
	default:
		t.say("cancel.nothing")
	}
	t.menu()
}

// leaveLine is "cancelar" at the desk with a place to go back to: out of
// the line, back to that place; with an agent, the conversation ends, at
// the menu, as cancel says.
func (t *turn) leaveLine() error {
	if t.leaveQueue() {
		t.say("handoff.left_agent")
		t.menu()
		return nil
	}
	t.say("handoff.left")
	if back, err := t.backBeforeDesk(); back || err != nil {
		return err
	}
	t.menu()
	return nil
}

// declineHandoff answers "cancelar" where the bot asks whether to hand
// the chat to a person as the "no" to it, and reports whether it did:
// what the person cancels is the hand-over, not the flow it interrupted
// (it dropped the flow, and the validation the question was there to
// keep: a people probe).
func (t *turn) declineHandoff() bool {
	off := t.st.Offer
	if t.st.Step != StepOffer || off == nil || off.Kind != OfferHandoff || t.st.Resume == nil {
		return false
	}
	t.st.Offer = nil
	t.say("offer.declined")
	t.resume()
	return true
}

// backData is "volver" at a personal-data step (or the current key): the
// datum asked before, or the CUIL.
func (t *turn) backData() {
	st := t.st
	if n := len(st.History); n > 0 {
		prev := st.History[n-1]
		st.History = st.History[:n-1]
		st.Pending = append([]Step{st.Step}, st.Pending...)
		delete(st.Mismatch, prev)
		t.enter(prev)
		return
	}
	t.enter(StepCUIL)
}

// backQuestion is "volver" at an identity question: the one before. At
// the first there is none, and the data before it were checked against
// the record (the questions come only then) and stay for this attempt:
// said, kindly (the question alone again read as "volver" not heard; a
// people probe).
func (t *turn) backQuestion() {
	st := t.st
	if st.QIndex > 0 {
		st.QIndex--
		st.Answers = st.Answers[:st.QIndex]
	} else {
		t.say("back.data_checked")
	}
	t.prompt()
}

// backNewKey keeps the person at the new key: identity already validated
// is not undone.
func (t *turn) backNewKey() {
	t.say("back.validated")
	t.prompt()
}

// backConfirmKey forgets the key to confirm and asks for a new one.
func (t *turn) backConfirmKey() {
	t.st.KeySeal = ""
	t.enter(StepNewKey)
}
