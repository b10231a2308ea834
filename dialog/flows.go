package dialog

import (
	"slices"
	"strings"

	"github.com/clavebot/clavebot/dialog/convo"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// Flow is what the person is doing (declared in dialog/convo, which the
// desk's funnel reads too).
type Flow = convo.Flow

// The flows of CONVERSATION.md. Each has its entry in flowTable.
const (
	FlowNone    = convo.FlowNone
	FlowCreate  = convo.FlowCreate
	FlowRecover = convo.FlowRecover
	FlowChange  = convo.FlowChange
	FlowTrouble = convo.FlowTrouble
	FlowFAQ     = convo.FlowFAQ
	FlowHandoff = convo.FlowHandoff
	FlowContact = convo.FlowContact
)

// flowDef is everything that defines a flow. A new flow is one entry in
// flowTable; its steps are entries of stepTable.
type flowDef struct {
	// steps are the flow's steps in order. A flow on a CUIL starts with
	// it; a datum step is asked only when its datum applies to the record
	// (the número de trámite when the record holds one).
	steps []Step
	// begin starts a flow that does not open with the CUIL, from the
	// chat as it is: the hand-off gives the desk the CUIL in hand and
	// whether the person validated, the others start afresh.
	begin func(t *turn) error
	// intro is said when the flow starts afresh; topic names it in
	// "¿Querés dejar lo que estabas haciendo para…?".
	intro, topic i18n.Key
	// keyed: the flow works on an existing key (recover, change), so a
	// CUIL without one is offered instead; unkeyed (create), a CUIL with
	// one is. Offered only once the person's data matched the record:
	// the CUIL step tells no one whether a CUIL has a key (issue 8.4). At
	// the current key, a CUIL without one is a wrong key.
	keyed bool
	// instead is the flow offered when the CUIL's key does not fit, and
	// how the offer says it.
	instead    Flow
	insteadMsg i18n.Key
	// action is what the audit trail records when the flow stores what
	// it is for (a key), and done what the person is told then.
	action registry.Action
	done   i18n.Key
	// proof marks a flow whose data prove that a CUIL is the person's
	// rather than validate it (the troubleshooting check): an unknown
	// CUIL is asked the same data and matches none, so the questions tell
	// a stranger nothing, and proof judges them once they are all in.
	proof func(t *turn) error
}

func flowTable() map[Flow]*flowDef {
	return map[Flow]*flowDef{
		FlowNone: {steps: []Step{StepMenu}, begin: (*turn).menuFlow},
		FlowCreate: {
			steps: []Step{StepCUIL, StepFirstNames, StepLastNames, StepBirthDate, StepDNI, StepTramite,
				StepQuestion, StepFactor, StepNewKey, StepConfirmKey},
			intro: "create.checklist", topic: "topic.create",
			instead: FlowRecover, insteadMsg: "create.has_key",
			action: registry.ActionKeyCreated, done: "done.create",
		},
		FlowRecover: {
			steps: []Step{StepCUIL, StepDNI, StepBirthDate, StepTramite,
				StepQuestion, StepFactor, StepNewKey, StepConfirmKey},
			intro: "recover.intro", topic: "topic.recover", keyed: true,
			instead: FlowCreate, insteadMsg: "key.none_yet",
			action: registry.ActionKeyRecovered, done: "done.recover",
		},
		FlowChange: {
			steps: []Step{StepCUIL, StepCurrentKey, StepFactor, StepNewKey, StepConfirmKey},
			intro: "change.intro", topic: "topic.change", keyed: true,
			instead: FlowCreate, insteadMsg: "key.none_yet",
			action: registry.ActionKeyChanged, done: "done.change",
		},
		FlowTrouble: {steps: []Step{StepTroubleMenu, StepCUIL}, begin: (*turn).troubleFlow, proof: (*turn).checkProof},
		FlowFAQ:     {steps: []Step{StepFAQ, StepRate}, begin: (*turn).faqFlow},
		FlowHandoff: {
			steps: []Step{StepQueue, StepRateAgent}, topic: "topic.handoff",
			begin: func(t *turn) error { return t.handoff("requested") },
		},
		// Right after a new key it opens at the contacts (see
		// offerContacts); otherwise the key, and a code to a verified
		// contact, come first: whoever passed the identity questions must
		// not be able to put their own contact in the person's place.
		FlowContact: {
			steps: []Step{StepCUIL, StepCurrentKey, StepFactor, StepContacts, StepEmail, StepCode, StepPhone},
			begin: (*turn).contactFlow,
			intro: "contact.intro", topic: "topic.contact", keyed: true,
			instead: FlowCreate, insteadMsg: "key.none_yet",
			action: registry.ActionContactSet, done: "contacts.saved",
		},
	}
}

// onCUIL reports whether the flow works on a CUIL the person gives first
// (create, recover, change): the person is then busy with it.
func (f *flowDef) onCUIL() bool { return len(f.steps) > 0 && f.steps[0] == StepCUIL }

// has reports whether s is one of the flow's steps.
func (f *flowDef) has(s Step) bool { return slices.Contains(f.steps, s) }

// flowDef is the definition of the chat's flow (the menu's for a state
// naming a flow this version does not know).
func (t *turn) flowDef() *flowDef { return t.flowOf(t.st.Flow) }

func (t *turn) flowOf(f Flow) *flowDef {
	if d, ok := t.e.flows[f]; ok {
		return d
	}
	t.e.log.Warn("unknown flow in chat state, read as none", "flow", string(f))
	return t.e.flows[FlowNone]
}

// start begins flow f from its first step. With a CUIL in hand (typed in
// the same message, or kept from an offer) it is not asked again. The
// intro is left out when the person goes on from another key flow with
// the CUIL it worked on (accepting "¿Querés recuperarla?"), and the
// personal data proved for it are not asked again.
func (t *turn) start(f Flow, cuil registry.CUIL) error {
	t.event(Event{Name: "start", Flow: f})
	if err := t.giveBackAttempt(); err != nil {
		return err
	}
	def := t.flowOf(f)
	// A flow on a CUIL begins with the one given, also the contacts' (its
	// begin knows only the CUIL proved just before): "27-35218904-4" to
	// its offer asked the CUIL again, and the key typed next landed
	// there (a data probe).
	if def.begin != nil && (cuil == "" || !def.onCUIL() || t.st.Offered) {
		return def.begin(t)
	}
	same := cuil != "" && cuil == t.st.CUIL
	intro := !same || !t.flowDef().onCUIL()
	proved, carry, names := t.st.Proved, t.st.Carry, t.st.Names
	t.st.reset()
	t.st.Flow = f
	if intro && def.intro != "" {
		t.say(def.intro)
	}
	if same {
		// Going on with the CUIL worked on: its data proved stay proved,
		// and the names set aside come back (namesaside.go).
		t.st.CUIL, t.st.Proved, t.st.Names = cuil, proved, names
	}
	t.namesAside()
	if cuil != "" && !t.companyCUIL(cuil) {
		t.namesBack()
		return t.withCUIL(cuil)
	}
	if cuil != "" {
		return nil
	}
	// Data noted before the CUIL (at the menu, or at the CUIL step of the
	// flow left) wait for it (see cuilWithCarry).
	t.st.Carry = carry
	t.carryRequest()
	t.enter(StepCUIL)
	return nil
}

// carryRequest notes the data typed with the request that starts a flow
// without a CUIL ("soy Lucía Fernández dni 35218904 naci el 21/7/90 y
// quiero crear la clave"): they wait for the CUIL as data typed before
// it do (see cuilWithCarry). They were dropped, and asked again once the
// CUIL came (a words probe), where the same request with the CUIL took
// them. Only what reads surely as the datum (carryOf), and the full name
// a request gives (requestNames); said last, they are read last.
func (t *turn) carryRequest() {
	if t.text == "" {
		return
	}
	r := t.reading()
	if r.cuil != "" || r.cuilErr != nil {
		return
	}
	wanted := t.personalSteps()
	carry, noted := carryOf(r, wanted)
	if names, steps := requestNameCarry(requestNames(r, true, false)); len(steps) > 0 &&
		slices.Contains(wanted, StepFirstNames) && !slices.Contains(noted, StepFirstNames) {
		carry = names + carry
		noted = append(steps, noted...)
	}
	if len(noted) == 0 {
		return
	}
	t.st.Carry = strings.TrimSpace(t.st.Carry + " " + carry)
	t.say("data.taken", "what", t.fieldList(noted))
}

// requestNameCarry labels the runs of names a request gives (see
// requestNames) for the carry, and names the steps they answer: one
// run not said to be the names or the surnames is the full name; runs said to be the names or the
// surnames ("my name is Lucía Soledad Fernández", "mi nombre es …") are
// what their label says. Those were dropped (a words probe): the names
// just typed with the request were asked again once the CUIL came.
func requestNameCarry(runs []nameSeg) (string, []Step) {
	if len(runs) == 1 && runs[0].words >= 2 && runs[0].field != nameFirst && runs[0].field != nameLast {
		return "nombre completo: " + runs[0].text + ", ", []Step{StepFirstNames, StepLastNames}
	}
	var b strings.Builder
	var steps []Step
	for _, n := range runs {
		switch {
		case n.field == nameFirst && !slices.Contains(steps, StepFirstNames):
			b.WriteString("nombre: " + n.text + ", ")
			steps = append(steps, StepFirstNames)
		case n.field == nameLast && !slices.Contains(steps, StepLastNames):
			b.WriteString("apellido: " + n.text + ", ")
			steps = append(steps, StepLastNames)
		}
	}
	if !slices.Contains(steps, StepFirstNames) {
		return "", nil // the surnames alone wait for the names' step
	}
	return b.String(), steps
}

// advance goes on to the flow's next step after the current one.
func (t *turn) advance() error {
	steps := t.flowDef().steps
	i := slices.Index(steps, t.st.Step)
	if i < 0 || i+1 >= len(steps) {
		t.menu()
		return nil
	}
	return t.begin(steps[i+1])
}

func (t *turn) menuFlow() error { t.menu(); return nil }

func (t *turn) troubleFlow() error {
	t.st.reset()
	t.troubleMenu()
	return nil
}

func (t *turn) faqFlow() error {
	t.st.reset()
	t.st.Flow = FlowFAQ
	t.enter(StepFAQ)
	return nil
}
