package dialog

import (
	"slices"
	"strings"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// OfferKind is what "yes" to an offer does.
type OfferKind string

// The offers the bot makes.
const (
	// OfferFlow starts Offer.Flow, with Offer.CUIL when it is set.
	OfferFlow OfferKind = "flow"
	// OfferCheck asks for a CUIL and checks it in the registry, for the
	// troubleshooting topic Offer.Topic.
	OfferCheck OfferKind = "check"
	// OfferHandoff hands the chat to the help desk, for Offer.Reason.
	OfferHandoff OfferKind = "handoff"
	// OfferRemoveContact removes the person's contact of kind Offer.Topic:
	// a tap on a stale number, or one that moved when the e-mail was
	// verified, must not remove the second factor at once.
	OfferRemoveContact OfferKind = "remove_contact"
	// OfferLeave cancels the flow, as "cancelar" does: made for a word
	// that may be a surname ("Basta") at a name step, where a "no" takes
	// it as the name next (State.AsTyped).
	OfferLeave OfferKind = "leave"
)

// Offer is a pending yes/no question and what "yes" does.
type Offer struct {
	Kind   OfferKind     `json:"ok,omitempty"`
	Flow   Flow          `json:"y,omitempty"`
	CUIL   registry.CUIL `json:"c,omitempty"`
	Topic  string        `json:"tp,omitempty"`
	Reason string        `json:"rs,omitempty"`
	Msg    i18n.Message  `json:"m"`
	// Leave sends a "no" to the menu instead of back to the step the
	// offer interrupted, which cannot go on (a key step while locked).
	Leave bool `json:"lv,omitempty"`
	// Legacy is the kind as versions before typed offers stored it
	// ("keep_cuil", "check:<topic>", "switch", a handoff reason). It is
	// read from a state written by them, turned into the fields above,
	// and never written.
	Legacy string `json:"k,omitempty"`
}

// retiredOfferMsgs are offers' messages this version no longer makes (the
// help desk offered after unknown CUILs, which are now judged as data that
// do not match) but a state written by an earlier one may hold: the
// catalogs keep them, so such an offer is still shown.
var retiredOfferMsgs = []i18n.Key{"offer.handoff_failures"}

// upgrade turns an offer stored by an older version into a typed one.
func (o *Offer) upgrade(cuil registry.CUIL) {
	if o.Kind != "" || o.Legacy == "" && o.Flow == FlowNone {
		o.Legacy = ""
		return
	}
	topic, check := strings.CutPrefix(o.Legacy, "check:")
	switch {
	case check:
		o.Kind, o.Topic = OfferCheck, topic
	case o.Flow == FlowHandoff:
		o.Kind, o.Reason = OfferHandoff, o.Legacy
	default:
		o.Kind = OfferFlow
		if o.Legacy == "keep_cuil" {
			o.CUIL = cuil
		}
	}
	o.Legacy = ""
}

// offerFlow offers to start flow f, going on with cuil when it is set.
func (t *turn) offerFlow(f Flow, cuil registry.CUIL, m i18n.Message) {
	t.offer(Offer{Kind: OfferFlow, Flow: f, CUIL: cuil, Msg: m})
}

// offerInstead offers flow f, with cuil, where the current flow cannot go
// on (a key step while locked, create for a CUIL with a key): a "no"
// goes to the menu.
func (t *turn) offerInstead(f Flow, cuil registry.CUIL, m i18n.Message) {
	t.offer(Offer{Kind: OfferFlow, Flow: f, CUIL: cuil, Msg: m, Leave: true})
}

// offerHandoff offers a person of the help desk.
func (t *turn) offerHandoff(reason string, m i18n.Key) {
	t.offer(Offer{Kind: OfferHandoff, Flow: FlowHandoff, Reason: reason, Msg: i18n.M(m)})
}

// offerCheck offers to check a CUIL in the registry, for topic.
func (t *turn) offerCheck(topic string) {
	t.offer(Offer{Kind: OfferCheck, Flow: FlowTrouble, Topic: topic, Msg: i18n.M("trouble.offer_check")})
}

// offer asks a yes/no question, remembering where the person was.
func (t *turn) offer(o Offer) {
	t.keepPlace()
	t.st.Offer = &o
	t.enter(StepOffer)
}

// keepPlace remembers the current step, so a detour (an offer, a
// suggestion) can come back to it.
func (t *turn) keepPlace() {
	if !t.def().keepPlace {
		return
	}
	if t.st.Resume == nil {
		t.st.Resume = &Resume{Flow: t.st.Flow, Step: t.st.Step}
	}
}

func (t *turn) askOffer() {
	if t.st.Offer == nil {
		t.menu()
		return
	}
	t.asking(t.st.Offer.Msg, yesNo()...)
}

func (t *turn) onOffer(text string) error {
	off := t.st.Offer
	if off == nil {
		t.resume()
		return nil
	}
	// The CUIL itself, typed where the bot offers to check one, or with
	// the "yes" to a flow that will ask it.
	r := t.reading()
	if off.Kind == OfferCheck && r.cuil != "" {
		return t.check(off.Topic, r.cuil)
	}
	yes := t.e.yesOrNo(text)
	if yes < 0 && off.Kind == OfferFlow && r.cuil != "" && r.cuil == t.st.CUIL && off.CUIL != "" && off.CUIL != r.cuil {
		// The CUIL the flow was begun with, typed where starting over
		// with another is offered: the no. Read as the yes with that
		// CUIL, the flow started over and the data given were asked
		// again (a data probe).
		yes = 0
	}
	if t.otherCUILAtInstead(off, r.cuil) {
		// Another CUIL typed at «Ese CUIL todavía no tiene una clave.
		// ¿Querés crearla ahora?»: it was the yes, creating for the CUIL
		// typed, while the person corrects the one they gave (a people
		// probe). It is that CUIL: the flow they were in starts over
		// with it. "sí, 20-…" too: the yes created for the offer's CUIL,
		// the one typed lost (a people probe); a value that reads as
		// what the step expects is that value. "no, es 20-…" too: the no
		// is to the CUIL given, and it went to the menu with the CUIL
		// typed lost (a people probe).
		flow := t.st.Resume.Flow
		t.st.Offer = nil
		t.say("offer.other_cuil_taken", "cuil", r.cuil.Masked())
		return t.start(flow, r.cuil)
	}
	if yes < 0 && stepSaidIn(text) == saidLater {
		// "más tarde", "después" to «¿Querés recuperarla?»: not now.
		// Read at the step, they were names typed too early ("Gracias.
		// Para empezar, elegí…", a regression probe) or not understood.
		yes = 0
	}
	if yes == 0 && t.noAsksMore(text) {
		// "No me acuerdo la clave", "no, quiero crearla": what follows
		// the no is the answer (a regression probe). Read as a bare no,
		// the wish was lost and the person sent to the menu.
		if g, _ := t.classify(); off.Kind == OfferFlow && flowIntents[g.Intent] == off.Flow {
			return t.accept(*off)
		}
		// An offer of what to do instead of a flow that cannot go on
		// keeps its no: another flow on the CUIL is taken below, and
		// creating where recovery is offered for a key that exists would
		// offer it again.
		if !off.Leave {
			yes = -1
		}
	}
	if f, ok := t.otherFlowOnCUIL(*off); ok && yes != 1 {
		return t.start(f, off.CUIL)
	}
	switch yes {
	case 1:
		if off.Kind == OfferFlow && off.CUIL == "" {
			off.CUIL = r.cuil
		}
		return t.accept(*off)
	case 0:
		t.st.Offer = nil
		t.say("offer.declined")
		if off.Leave {
			t.st.Resume = nil
			t.menuAgain()
			return nil
		}
		t.resume()
		t.st.AsTyped = off.Kind == OfferLeave
		return nil
	}
	// "No sé", "no entiendo": the offer is asked again (it lapsed, and
	// the text was read at the step as something else).
	if notKnown(text) {
		// Asked again alone, it read as the bot not listening.
		t.say("offer.unsure")
		t.askOffer()
		return nil
	}
	// A CUIL typed instead of the "yes" to a flow on a CUIL is the yes,
	// with that CUIL: people answer with what the flow will ask.
	// Not another CUIL than the offer's typed at the problems' menu, where
	// a CUIL is checked (the creation offered after a check).
	if off.Kind == OfferFlow && r.cuil != "" && t.flowOf(off.Flow).onCUIL() && !t.anotherCUILToCheck(off, r.cuil) {
		off.CUIL = r.cuil
		return t.accept(*off)
	}
	if off.Kind == OfferFlow && t.flowOf(off.Flow).onCUIL() && r.cuil == "" && r.cuilErr == nil && typedDNI(text, r) {
		// The DNI typed at «Ese CUIL todavía no tiene una clave.
		// ¿Querés crearla ahora?» got «Elegí una de las opciones» (a
		// people probe): the person answered with what they think comes
		// next. It is the yes, and the flow takes the DNI where it asks
		// it, or has it proved already.
		return t.accept(*off)
	}
	if off.Kind == OfferCheck && r.cuil == "" && r.cuilErr == nil && r.date == "" && typedDNI(text, r) {
		// The DNI typed where the check of the CUIL is offered got «Eso
		// no lo sé responder» and the problems' menu, the offer lost (a
		// people probe): the person wants the check and answered with
		// what they have. It starts, and the CUIL is asked saying the
		// DNI is not it, as where the CUIL is asked.
		t.st.reset()
		t.st.Flow, t.st.Check = FlowTrouble, off.Topic
		t.moveTo(StepCUIL)
		t.say("cuil.is_dni")
		t.prompt()
		return nil
	}
	// An address or a number typed at the contacts' offer is the yes:
	// the flow asks it again once the CUIL and the key are proved.
	if off.Kind == OfferFlow && off.Flow == FlowContact && contactShaped(text, r) {
		return t.accept(*off)
	}
	// A key typed at an offer made at a key step (the lockout's, above
	// all): the offer stands, and the person is told not to type it here;
	// read at the key step it would be taken for a question.
	if back := t.st.Resume; back != nil && t.defOf(back.Step).secret && keyShaped(strings.TrimSpace(text)) {
		t.say("offer.key_typed")
		t.prompt()
		return nil
	}
	// An offer of what to do instead of a flow that cannot go on stands:
	// the step it interrupted was answered already. A question is answered
	// and the offer asked again.
	if off.Leave {
		if g, ok := t.classify(); ok && flowIntents[g.Intent] == off.Flow {
			// "me olvidé la clave" where recovery is offered: the yes.
			return t.accept(*off)
		}
		return t.questionOr(text, nil, "choice.invalid", "n", len(yesNo()))
	}
	// Neither yes nor no: the offer lapses and the text is read at the
	// step the offer interrupted, as an answer there or a question. At a
	// key step it is only ever a question: it was not hidden as a key.
	t.resumeQuiet()
	if t.def().secret {
		return t.understand(text)
	}
	return t.step(text)
}

// otherFlowOnCUIL returns the flow the person asks for instead of the one
// offered on a CUIL, when it is another flow on a CUIL ("no, la quiero
// cambiar" where recovery is offered): it starts with the CUIL in hand,
// as the offered one would. Read as a bare no it dropped the wish; as a
// request, it asked to leave what the person was doing, then the CUIL.
//
// Not when the person refuses it ("no, no quiero cambiarla", which the
// classifier reads as changing: a regression probe), nor creating where
// recovery is offered for a CUIL that has a key (creating offers recovery
// again, in a loop).
func (t *turn) otherFlowOnCUIL(off Offer) (Flow, bool) {
	if off.Kind != OfferFlow || off.CUIL == "" || refuses(t.in.Text) {
		return "", false
	}
	g, ok := t.classify()
	f := flowIntents[g.Intent]
	if f == FlowCreate && off.Flow == FlowRecover {
		return "", false
	}
	return f, ok && f != "" && f != off.Flow && t.flowOf(f).onCUIL()
}

// noFillers are the words a bare no comes with: "no gracias", "no, está
// bien así", "no, ya fue".
var noFillers = set("gracias", "grax", "por", "favor", "ahora", "todavia", "mejor", "asi", "esta", "bien", "nada", "ok",
	"listo", "deja", "dejalo", "despues", "otro", "dia", "che", "igual", "eso", "solo", "ya", "fue", "nomas", "perdon",
	"thanks", "thank", "you", "now", "fine", "its", "it's", "ok", "okay", "maybe", "later")

// noAsksMore reports whether a no goes on to ask for something the bot
// knows: words beyond the no and its fillers, read as an intent, and no
// refusal of what it names ("no, no quiero recuperarla").
func (t *turn) noAsksMore(text string) bool {
	if refuses(text) {
		return false
	}
	more := slices.ContainsFunc(foldedWords(text), func(w string) bool {
		return !noWords[squeezeYesNo(w)] && !noFillers[w] && !interjections[w]
	})
	if !more {
		return false
	}
	g, ok := t.classify()
	return ok && g.Intent != "thanks_bye"
}

// refusalPhrases say, folded, that the person does not want what follows.
var refusalPhrases = []string{"no quiero", "no la quiero", "no lo quiero", "no voy a", "no pienso", "no necesito",
	"ni cambiar", "ni crear", "ni recuperar", "don't want", "dont want", "do not want", "no need"}

// refuses reports whether text refuses what it names. The commas count:
// "no, la quiero cambiar" asks for it, "no la quiero cambiar" refuses.
func refuses(text string) bool { return containsAny(fold(text), refusalPhrases) }

func (t *turn) accept(off Offer) error {
	switch off.Kind {
	case OfferCheck:
		return t.check(off.Topic, "")
	case OfferHandoff:
		return t.handoff(off.Reason)
	case OfferFlow:
		if off.CUIL == "" && t.flowOf(off.Flow).onCUIL() {
			off.CUIL = t.resumedCUIL()
		}
		return t.start(off.Flow, off.CUIL)
	case OfferLeave:
		t.resumeQuiet()
		t.cancel()
		return nil
	case OfferRemoveContact:
		t.st.Resume = nil
		if _, ok, err := t.contacts(); !ok || err != nil {
			return err
		}
		return t.removeContact(registry.ContactKind(off.Topic))
	}
	t.e.log.Warn("offer of an unknown kind, read as declined", "kind", string(off.Kind))
	t.resume()
	return nil
}

// typedDNI reports whether text is a DNI, alone or said to be one.
func typedDNI(text string, r *reading) bool {
	if r.dni != "" {
		return true
	}
	_, err := registry.ParseDNI(text)
	return err == nil
}

// resumedCUIL is the CUIL given to the flow an offer interrupted, or "":
// "ah no, mejor recuperar" where creating had the CUIL, then "sí", asked
// the CUIL again (a people probe). The person changed their mind about
// what to do, not about whose key.
func (t *turn) resumedCUIL() registry.CUIL {
	if back := t.st.Resume; back == nil || !t.flowOf(back.Flow).onCUIL() {
		return ""
	}
	return t.st.CUIL
}

// check starts the troubleshooting check of a CUIL for topic: it asks
// the CUIL, or checks the one given.
func (t *turn) check(topic string, cuil registry.CUIL) error {
	t.st.reset()
	t.st.Flow, t.st.Check = FlowTrouble, topic
	if cuil != "" {
		return t.checkCUIL(cuil)
	}
	t.enter(StepCUIL)
	return nil
}

// resume goes back to the step a detour interrupted, asking it again.
func (t *turn) resume() {
	if t.resumeQuiet() {
		t.prompt()
		return
	}
	t.menu()
}

// resumeQuiet restores the interrupted step without asking it. A message
// read after it answers that step.
func (t *turn) resumeQuiet() bool {
	r := t.st.Resume
	t.st.Resume, t.st.Offer = nil, nil
	if r == nil {
		t.st.Step = StepMenu
	} else {
		t.st.Flow, t.st.Step = r.Flow, r.Step
	}
	t.at = t.st.Step
	return r != nil
}

// leaveDetour is "volver" at a step that interrupted another (an offer, a
// question's topics, a check): back to where the person was, or the menu.
func (t *turn) leaveDetour() {
	if t.st.Resume != nil {
		t.resume()
		return
	}
	t.menu()
}

// anotherCUILToCheck reports whether cuil, typed at off, is another CUIL
// than the offer's, where the offer was made at the problems' menu: it
// is checked there, as it was before the offer.
// otherCUILAtInstead reports whether cuil, typed at off, is another CUIL
// than the one off offers a flow instead of the person's for (creating
// where recovery found no key, recovering where creating found one).
func (t *turn) otherCUILAtInstead(off *Offer, cuil registry.CUIL) bool {
	back := t.st.Resume
	return off.Kind == OfferFlow && off.Leave && cuil != "" && off.CUIL != "" && cuil != off.CUIL &&
		back != nil && back.Flow != off.Flow && t.flowOf(back.Flow).onCUIL() && !t.anotherCUILToCheck(off, cuil)
}

func (t *turn) anotherCUILToCheck(off *Offer, cuil registry.CUIL) bool {
	back := t.st.Resume
	return off.CUIL != "" && off.CUIL != cuil && back != nil && back.Step == StepTroubleMenu
}
