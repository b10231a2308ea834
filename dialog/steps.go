package dialog

import (
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// Step is the question the bot is waiting on an answer to (declared in
// dialog/convo, as events carry it).
type Step = convo.Step

// Steps. Data steps share their name with the Expect they produce. Each
// has its entry in stepTable, which a test holds complete.
const (
	StepMenu        Step = "menu"
	StepCUIL        Step = "cuil"
	StepFirstNames  Step = "first_names"
	StepLastNames   Step = "last_names"
	StepBirthDate   Step = "birth_date"
	StepDNI         Step = "dni"
	StepTramite     Step = "dni_tramite"
	StepQuestion    Step = "question"
	StepCurrentKey  Step = "current_key"
	StepNewKey      Step = "new_key"
	StepConfirmKey  Step = "confirm_key"
	StepTroubleMenu Step = "trouble_menu"
	StepFAQ         Step = "faq"         // waiting for a free-text question
	StepOffer       Step = "offer"       // a yes/no offer; see State.Offer
	StepSuggest     Step = "suggest"     // "¿Quisiste decir…?"
	StepRate        Step = "rate"        // was the answer useful?
	StepLocked      Step = "locked"      // after a lockout: remind, office, menu
	StepQueue       Step = "queue"       // waiting for, or talking to, an agent
	StepRateAgent   Step = "rate_agent"  // rating the help of an agent
	StepCUILAction  Step = "cuil_action" // a CUIL typed out of the blue: what to do with it
	StepFactor      Step = "factor"      // a code sent to a verified contact: the second factor
	StepContacts    Step = "contacts"    // the e-mail and phone: what to do with them
	StepEmail       Step = "email"
	StepCode        Step = "code" // the code sent to a new e-mail, to verify it
	StepPhone       Step = "phone"
)

// stepDef is everything that defines a step. A new step is one entry in
// stepTable (and the handlers it names); the engine asks the table, not
// the step's name, what to do.
type stepDef struct {
	expect Expect
	// ask asks the step's question, again if need be. It never moves the
	// chat to another step: enter does, then calls ask.
	ask func(t *turn)
	// read handles the person's answer at this step.
	read func(t *turn, text string) error
	// back is what "volver" does at this step.
	back func(t *turn)
	// begin, when set, is how a flow reaches the step: a gate run first
	// (the personal data are judged before the questions, the key rules
	// stated before the key). It ends by entering the step, or elsewhere.
	begin func(t *turn) error
	// datum reads and judges the answer of a personal-data step.
	datum *datum
	// subject names the datum a question asked here is about when it
	// names none ("¿es el de mi dni?" where the CUIL is asked); none at
	// the names' steps: a name is no subject of the FAQ's.
	subject string
	// answers are the FAQ's answers that depend on this step, by intent;
	// elsewhere the intent's own answer is given. Capitals and accents
	// do not count in names and do in the key: "¿lo pongo con
	// mayúsculas?" at the names got the key's rules ("Distingue
	// mayúsculas y minúsculas"); "¿para qué me preguntan esto?" at an
	// identity question got the lockout's warning (both found by a
	// probe). A new contact's wrong codes count apart from the
	// validations: "3 códigos equivocados bloquean la validación por
	// unas horas" was said where 5 stop new contacts for 30 minutes (a
	// contract probe).
	answers map[string]i18n.Key
	// typed: the step waits for a datum typed, not an option (the CUIL,
	// the personal data, an e-mail or a phone): a question there reads as
	// asked of it, and a word out of place is said to be no such datum.
	typed bool
	// secret: the answer is a key. It is never read as anything else (a
	// question, a command, a menu choice), logged, stored or shown.
	secret bool
	// keepPlace: a detour taken from here (an offer, a suggestion, an
	// answer) comes back to this step. Detours themselves do not.
	keepPlace bool
	// idle: no question of a flow is pending here, so an FAQ answer is
	// followed by "¿Te sirvió?" and a greeting by the menu.
	idle bool
	// waits: the chat waits on someone else (an agent). It never idles
	// out and its state is kept a week.
	waits bool
}

// stepTable defines every step. It is built per engine, since the
// handlers it names refer back to it.
func stepTable() map[Step]*stepDef {
	// The FAQ's answers at the names' and the key's steps.
	atNames := map[string]i18n.Key{"data.format": "faq.at_names.data.format"}
	atKey := map[string]i18n.Key{"data.format": "faq.at_key.data.format"}
	// Where the new key is chosen, the person is past what creating one
	// needs: "¿cuáles son los requisitos de la clave?" asks the key's
	// rules (it got the CUIL, the DNI and internet; a people probe).
	atNewKey := map[string]i18n.Key{
		"data.format": "faq.at_key.data.format", "key.requirements": "faq.answer.key.password_rules",
	}
	return map[Step]*stepDef{
		StepMenu: {
			expect: ExpectMenu, ask: (*turn).askMenu, read: (*turn).onMenu,
			back: (*turn).menu, keepPlace: true, idle: true,
		},
		StepCUIL: {
			expect: ExpectCUIL, ask: askKey("ask.cuil"), read: (*turn).readCUIL,
			back: (*turn).backCUIL, keepPlace: true, typed: true, subject: "cuil",
		},
		StepFirstNames: dataStep(ExpectFirstNames, "ask.first_names", firstNamesDatum, "", atNames),
		StepLastNames:  dataStep(ExpectLastNames, "ask.last_names", lastNamesDatum, "", atNames),
		StepBirthDate:  dataStep(ExpectBirthDate, "ask.birth_date", birthDateDatum, "fecha de nacimiento", nil),
		StepDNI:        dataStep(ExpectDNI, "ask.dni", dniDatum, "dni", nil),
		StepTramite:    dataStep(ExpectTramite, "ask.dni_tramite", tramiteDatum, "numero de tramite", nil),
		StepQuestion: {
			expect: ExpectChoice, ask: (*turn).askQuestion, read: (*turn).readAnswer,
			back: (*turn).backQuestion, begin: (*turn).checkData, keepPlace: true,
			answers: map[string]i18n.Key{"data.why": "faq.at_questions.data.why"},
		},
		StepCurrentKey: {
			expect: ExpectCurrentKey, ask: (*turn).askCurrentKey, read: (*turn).onCurrentKey,
			back: (*turn).backData, secret: true, keepPlace: true, answers: atKey,
		},
		StepNewKey: {
			expect: ExpectNewKey, ask: askKey("ask.new_key"), read: (*turn).onNewKey,
			back: (*turn).backNewKey, begin: (*turn).startNewKey, secret: true, keepPlace: true, answers: atNewKey,
		},
		StepConfirmKey: {
			expect: ExpectConfirmKey, ask: askKey("ask.confirm_key"), read: (*turn).onConfirmKey,
			back: (*turn).backConfirmKey, secret: true, keepPlace: true, answers: atNewKey,
		},
		StepTroubleMenu: {
			expect: ExpectChoice, ask: (*turn).askTroubleMenu, read: (*turn).onTroubleMenu,
			back: (*turn).leaveDetour, keepPlace: true,
		},
		StepFAQ: {
			expect: ExpectText, ask: (*turn).askFAQ, read: (*turn).onFAQ,
			back: (*turn).leaveDetour, keepPlace: true, idle: true,
		},
		StepOffer: {
			expect: ExpectChoice, ask: (*turn).askOffer, read: (*turn).onOffer,
			back: (*turn).leaveDetour,
		},
		StepSuggest: {
			expect: ExpectChoice, ask: (*turn).askSuggest, read: (*turn).onSuggest,
			back: (*turn).leaveDetour,
		},
		StepRate: {
			expect: ExpectChoice, ask: (*turn).askRate, read: (*turn).onRate,
			back: (*turn).leaveDetour, idle: true,
		},
		StepLocked: {
			expect: ExpectChoice, ask: (*turn).askLocked, read: (*turn).onLocked,
			back: (*turn).leaveDetour, keepPlace: true,
		},
		StepQueue: {
			expect: ExpectText, ask: (*turn).askQueue, read: (*turn).onQueue,
			back: (*turn).prompt, keepPlace: true, waits: true,
		},
		StepRateAgent: {
			expect: ExpectChoice, ask: (*turn).askRateAgent, read: (*turn).onRateAgent,
			back: (*turn).menu, keepPlace: true,
		},
		StepCUILAction: {
			expect: ExpectChoice, ask: (*turn).askCUILAction, read: (*turn).onCUILAction,
			back: (*turn).menu, keepPlace: true,
		},
		StepFactor: {
			expect: ExpectCode, ask: (*turn).askCode, read: (*turn).onCode,
			back: (*turn).prompt, begin: (*turn).secondFactor, keepPlace: true,
		},
		StepContacts: {
			expect: ExpectChoice, ask: (*turn).askContacts, read: (*turn).onContacts,
			back: (*turn).menu, keepPlace: true,
		},
		StepEmail: {
			expect: ExpectEmail, ask: askKey("ask.email"), read: (*turn).onEmail,
			back: (*turn).toContacts, keepPlace: true, typed: true,
		},
		StepCode: {
			expect: ExpectCode, ask: (*turn).askCode, read: (*turn).onCode,
			back: (*turn).toContacts, keepPlace: true,
			answers: map[string]i18n.Key{codeMissing: "faq.at_contact_code.contact.code_missing"},
		},
		StepPhone: {
			expect: ExpectPhone, ask: askKey("ask.phone"), read: (*turn).onPhone,
			back: (*turn).toContacts, keepPlace: true, typed: true,
		},
	}
}

// dataStep defines a personal-data step: asked by its key, read and
// judged by its datum, "volver" going to the datum asked before.
func dataStep(e Expect, ask i18n.Key, d *datum, subject string, answers map[string]i18n.Key) *stepDef {
	return &stepDef{
		expect: e, ask: askKey(ask), read: (*turn).onData, back: (*turn).backData,
		datum: d, keepPlace: true, typed: true, subject: subject, answers: answers,
	}
}

// askKey is the ask of a step whose question is one message, no options.
func askKey(k i18n.Key) func(t *turn) {
	return func(t *turn) { t.asking(i18n.M(k)) }
}

// def is the definition of the step the chat is at. A state written by
// another version may name a step this one does not know: it is read as
// the menu, and said in the log.
func (t *turn) def() *stepDef { return t.defOf(t.st.Step) }

func (t *turn) defOf(s Step) *stepDef {
	if d, ok := t.e.steps[s]; ok {
		return d
	}
	if s != "" {
		t.e.log.Warn("unknown step in chat state, read as the menu", "step", string(s))
	}
	return t.e.steps[StepMenu]
}

// enter moves the chat to step s and asks its question.
func (t *turn) enter(s Step) {
	t.moveTo(s)
	t.defOf(s).ask(t)
}

// moveTo is the one way to move the chat to a step. It records the move
// (funnels count the steps of a flow) and asks nothing: enter asks, and
// the few arrivals that say something else (the queue, the menu after a
// finished flow) call it directly. Coming back from a detour restores
// the step kept (resumeQuiet), which is not a move.
func (t *turn) moveTo(s Step) {
	t.st.Step, t.st.AsTyped, t.st.StepWord = s, false, ""
	if t.flowDef().has(s) {
		t.event(Event{Name: "step", Flow: t.st.Flow, Step: s})
	}
}

// begin reaches step s from the flow: through its gate when it has one.
func (t *turn) begin(s Step) error {
	if d := t.defOf(s); d.begin != nil {
		return d.begin(t)
	}
	t.enter(s)
	return nil
}

// prompt asks the current step's question again.
func (t *turn) prompt() { t.def().ask(t) }

// step hands the text to the reader of the current step.
func (t *turn) step(text string) error { return t.def().read(t, text) }

// back asks the previous question again ("volver").
func (t *turn) back() { t.def().back(t) }

// expect is what the bot waits for at the chat's step.
func (t *turn) expect() Expect { return t.def().expect }

// stepDef is the entry of the chat's step; an empty one for a step this
// version does not know (def reads it as the menu, and logs it).
func (t *turn) stepDef() *stepDef {
	if d, ok := t.e.steps[t.st.Step]; ok {
		return d
	}
	return &stepDef{}
}

// typed reports whether the chat's step waits for a datum typed.
func (t *turn) typed() bool { return t.stepDef().typed }

// idle reports whether no question of a flow is pending.
func (t *turn) idle() bool { return t.def().idle }
